"""Inspection cycle: regime, outcome and report of each inspection; action plans, actions, progress updates and
their links; the validation summaries of person-level list checks (never the lists)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 00:56:27.637714
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('person_list_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('checked_by', sa.String(length=254), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('lists', sa.JSON(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('query_count', sa.Integer(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('cross_check', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_person_list_checks_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_person_list_checks_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_list_checks'))
    )
    with op.batch_alter_table('person_list_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_list_checks_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('action_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_action_plans_inspection_id_inspections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_action_plans_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_plans')),
    sa.UniqueConstraint('inspection_id', name='uq_action_plans_inspection_id')
    )
    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plans_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('follow_up_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_follow_up_actions_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_follow_up_actions_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plans.id'], name=op.f('fk_follow_up_actions_plan_id_action_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_actions'))
    )
    with op.batch_alter_table('follow_up_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_actions_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_actions_plan_id'), ['plan_id'], unique=False)

    op.create_table('action_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['follow_up_actions.id'], name=op.f('fk_action_criteria_action_id_follow_up_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_action_criteria_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_criteria')),
    sa.UniqueConstraint('action_id', 'criterion_id', name='uq_action_criteria_action_criterion')
    )
    with op.batch_alter_table('action_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_criteria_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_criteria_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('action_evidence_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('evidence_item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['follow_up_actions.id'], name=op.f('fk_action_evidence_links_action_id_follow_up_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_item_id'], ['evidence_items.id'], name=op.f('fk_action_evidence_links_evidence_item_id_evidence_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_action_evidence_links_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_evidence_links')),
    sa.UniqueConstraint('action_id', 'evidence_item_id', name='uq_action_evidence_links_action_item')
    )
    with op.batch_alter_table('action_evidence_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_evidence_links_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_evidence_links_evidence_item_id'), ['evidence_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_evidence_links_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('action_progress_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author', sa.String(length=254), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('shared_at', sa.DateTime(), nullable=True),
    sa.Column('shared_by', sa.String(length=254), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['follow_up_actions.id'], name=op.f('fk_action_progress_updates_action_id_follow_up_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_action_progress_updates_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_action_progress_updates_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_progress_updates'))
    )
    with op.batch_alter_table('action_progress_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_progress_updates_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_progress_updates_partnership_id'), ['partnership_id'], unique=False)

    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('regime', sa.String(length=30), server_default='area_send_2023', nullable=False))
        batch_op.add_column(sa.Column('framework_version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('report_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('report_published_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_inspections_framework_version_id_framework_versions'), 'framework_versions', ['framework_version_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inspections_framework_version_id_framework_versions'), type_='foreignkey')
        batch_op.drop_column('report_published_on')
        batch_op.drop_column('report_url')
        batch_op.drop_column('outcome')
        batch_op.drop_column('framework_version_id')
        batch_op.drop_column('regime')

    with op.batch_alter_table('action_progress_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_progress_updates_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_action_progress_updates_action_id'))

    op.drop_table('action_progress_updates')
    with op.batch_alter_table('action_evidence_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_evidence_links_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_action_evidence_links_evidence_item_id'))
        batch_op.drop_index(batch_op.f('ix_action_evidence_links_action_id'))

    op.drop_table('action_evidence_links')
    with op.batch_alter_table('action_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_criteria_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_action_criteria_action_id'))

    op.drop_table('action_criteria')
    with op.batch_alter_table('follow_up_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_actions_plan_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_actions_partnership_id'))

    op.drop_table('follow_up_actions')
    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plans_partnership_id'))

    op.drop_table('action_plans')
    with op.batch_alter_table('person_list_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_list_checks_partnership_id'))

    op.drop_table('person_list_checks')
