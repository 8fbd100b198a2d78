"""evidence library: items, file revisions (sha256 in the blob store) and criterion links

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 20:57:23.101577
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('evidence_type', sa.String(length=80), nullable=False),
    sa.Column('partner', sa.String(length=30), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=True),
    sa.Column('as_at', sa.Date(), nullable=True),
    sa.Column('review_by', sa.Date(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('returned_reason', sa.Text(), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(), nullable=False),
    sa.Column('status_changed_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_evidence_items_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_evidence_items_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_items')),
    sa.UniqueConstraint('partnership_id', 'reference', name='uq_evidence_items_partnership_reference')
    )
    with op.batch_alter_table('evidence_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_items_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_items_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index('ix_evidence_items_partnership_review_by', ['partnership_id', 'review_by'], unique=False)
        batch_op.create_index('ix_evidence_items_partnership_status', ['partnership_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_items_updated_at'), ['updated_at'], unique=False)

    op.create_table('evidence_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('orphaned', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['evidence_items.id'], name=op.f('fk_evidence_links_item_id_evidence_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_evidence_links_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_links')),
    sa.UniqueConstraint('item_id', 'criterion_id', name='uq_evidence_links_item_criterion')
    )
    with op.batch_alter_table('evidence_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_links_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_evidence_links_partnership_criterion', ['partnership_id', 'criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_links_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('evidence_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('media_type', sa.String(length=120), nullable=False),
    sa.Column('file_type', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['evidence_items.id'], name=op.f('fk_evidence_revisions_item_id_evidence_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_evidence_revisions_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_evidence_revisions_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_revisions')),
    sa.UniqueConstraint('item_id', 'number', name='uq_evidence_revisions_item_number')
    )
    with op.batch_alter_table('evidence_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_revisions_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_revisions_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_revisions_sha256'), ['sha256'], unique=False)



def downgrade():
    with op.batch_alter_table('evidence_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_revisions_sha256'))
        batch_op.drop_index(batch_op.f('ix_evidence_revisions_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_revisions_item_id'))

    op.drop_table('evidence_revisions')
    with op.batch_alter_table('evidence_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_links_partnership_id'))
        batch_op.drop_index('ix_evidence_links_partnership_criterion')
        batch_op.drop_index(batch_op.f('ix_evidence_links_item_id'))

    op.drop_table('evidence_links')
    with op.batch_alter_table('evidence_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_items_updated_at'))
        batch_op.drop_index('ix_evidence_items_partnership_status')
        batch_op.drop_index('ix_evidence_items_partnership_review_by')
        batch_op.drop_index(batch_op.f('ix_evidence_items_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_items_owner_id'))

    op.drop_table('evidence_items')
