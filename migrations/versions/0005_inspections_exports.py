"""Inspection records, scheduled exports and their runs (issue 9)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 21:00:16.113922
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('report_kind', sa.String(length=40), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('cadence', sa.String(length=10), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=True),
    sa.Column('day_of_month', sa.Integer(), nullable=True),
    sa.Column('time_of_day', sa.Time(), nullable=False),
    sa.Column('destination', sa.String(length=200), nullable=False),
    sa.Column('keep_last', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('next_due_at', sa.DateTime(), nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=120), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("cadence IN ('daily', 'weekly', 'monthly')", name=op.f('ck_export_schedules_cadence')),
    sa.CheckConstraint('day_of_month IS NULL OR day_of_month = -1 OR (day_of_month >= 1 AND day_of_month <= 28)', name=op.f('ck_export_schedules_day_of_month')),
    sa.CheckConstraint('keep_last >= 1', name=op.f('ck_export_schedules_keep_last')),
    sa.CheckConstraint('weekday IS NULL OR (weekday >= 0 AND weekday <= 6)', name=op.f('ck_export_schedules_weekday')),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_export_schedules_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_schedules'))
    )
    with op.batch_alter_table('export_schedules', schema=None) as batch_op:
        batch_op.create_index('ix_export_schedules_due', ['enabled', 'next_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_schedules_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('inspections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('inspection_type', sa.String(length=20), nullable=False),
    sa.Column('notification_date', sa.Date(), nullable=False),
    sa.Column('on_site_week_start', sa.Date(), nullable=True),
    sa.Column('lead_inspector', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_inspections_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspections'))
    )
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspections_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('export_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('runner_id', sa.String(length=120), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('file_path', sa.String(length=500), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=1000), nullable=True),
    sa.Column('pruned_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('running', 'succeeded', 'failed')", name=op.f('ck_export_runs_status')),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_export_runs_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['schedule_id'], ['export_schedules.id'], name=op.f('fk_export_runs_schedule_id_export_schedules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_runs'))
    )
    with op.batch_alter_table('export_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_runs_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_runs_schedule_id'), ['schedule_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_runs_started_at'), ['started_at'], unique=False)



def downgrade():
    with op.batch_alter_table('export_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_runs_started_at'))
        batch_op.drop_index(batch_op.f('ix_export_runs_schedule_id'))
        batch_op.drop_index(batch_op.f('ix_export_runs_partnership_id'))

    op.drop_table('export_runs')
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspections_partnership_id'))

    op.drop_table('inspections')
    with op.batch_alter_table('export_schedules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_schedules_partnership_id'))
        batch_op.drop_index('ix_export_schedules_due')

    op.drop_table('export_schedules')
