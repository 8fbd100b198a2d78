"""Timeliness summaries: each partnership's measures and data-quality count, stored once a day per import

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:24:30.105125
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('timeliness_summaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('import_token', sa.String(length=32), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('measures', sa.JSON(), nullable=False),
    sa.Column('cases_with_findings', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_timeliness_summaries_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeliness_summaries')),
    sa.UniqueConstraint('partnership_id', 'import_token', 'as_of', name='uq_timeliness_summaries_partnership_token_as_of')
    )


def downgrade():
    op.drop_table('timeliness_summaries')
