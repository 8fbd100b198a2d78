"""Every state of the EHC journey on cases and reviews, and each partnership's pseudonym key for SEN2 imports

Cases gain the request type, a move out of the area, the six mediation and tribunal flags, a transfer in, the
plan's cease date and reason, the phase-transfer dates and a person pseudonym; a historical case has no request
date. Reviews gain the draft, amendment-notice and final-amended-plan dates. Existing rows keep their values:
new flags are false and every existing request is an initial one.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

FLAGS = (
    'request_mediation',
    'request_tribunal',
    'assessment_mediation',
    'assessment_tribunal',
    'other_mediation',
    'other_tribunal',
)


def upgrade():
    op.create_table('pseudonym_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_pseudonym_keys_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pseudonym_keys')),
    sa.UniqueConstraint('partnership_id', name=op.f('uq_pseudonym_keys_partnership_id'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('request_date', existing_type=sa.Date(), nullable=True)
        batch_op.add_column(sa.Column('request_type', sa.String(length=20), server_default='initial', nullable=False))
        batch_op.add_column(sa.Column('moved_out_to', sa.String(length=3), nullable=True))
        for flag in FLAGS:
            batch_op.add_column(sa.Column(flag, sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('transferred_in_from', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('cease_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('cease_reason', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('phase_transfer_due_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('phase_transfer_final_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('person_ref', sa.String(length=32), nullable=True))
    with op.batch_alter_table('annual_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('amendment_notice_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('amended_plan_date', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('annual_reviews', schema=None) as batch_op:
        batch_op.drop_column('amended_plan_date')
        batch_op.drop_column('amendment_notice_date')
        batch_op.drop_column('draft_date')
    # The older schema cannot hold a case without a request date (a historical plan): those cases go.
    op.execute("DELETE FROM cases WHERE request_date IS NULL")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for column in ('person_ref', 'phase_transfer_final_date', 'phase_transfer_due_date', 'cease_reason',
                       'cease_date', 'transferred_in_from', *reversed(FLAGS), 'moved_out_to', 'request_type'):
            batch_op.drop_column(column)
        batch_op.alter_column('request_date', existing_type=sa.Date(), nullable=False)
    op.drop_table('pseudonym_keys')
