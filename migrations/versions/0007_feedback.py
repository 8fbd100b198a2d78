"""family feedback: surveys, waves, questions, responses, answers, comments, you said we did

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 20:57:38.070048
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('audience', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('mapping_yaml', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_surveys_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('partnership_id', 'name', name='uq_surveys_partnership_name')
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('column_name', sa.Text(), nullable=False),
    sa.Column('survey_item', sa.String(length=80), nullable=True),
    sa.Column('criterion', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_survey_questions_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_questions_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions'))
    )
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_questions_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_questions_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_waves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by', sa.String(length=254), nullable=False),
    sa.Column('respondents', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('comments', sa.Integer(), nullable=False),
    sa.Column('redactions', sa.JSON(), nullable=False),
    sa.Column('redaction_total', sa.Integer(), nullable=False),
    sa.Column('first_response_at', sa.DateTime(), nullable=True),
    sa.Column('last_response_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('mapping_yaml', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_survey_waves_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_waves_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_waves')),
    sa.UniqueConstraint('survey_id', 'file_sha256', name='uq_survey_waves_survey_file'),
    sa.UniqueConstraint('survey_id', 'label', name='uq_survey_waves_survey_label')
    )
    with op.batch_alter_table('survey_waves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_waves_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_waves_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('respondent_key', sa.String(length=32), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('groups', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_survey_responses_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wave_id'], ['survey_waves.id'], name=op.f('fk_survey_responses_wave_id_survey_waves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_wave_id'), ['wave_id'], unique=False)

    op.create_table('survey_answers',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('point', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_answers_question_id_survey_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_answers_response_id_survey_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wave_id'], ['survey_waves.id'], name=op.f('fk_survey_answers_wave_id_survey_waves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'question_id', name=op.f('pk_survey_answers'))
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answers_wave_id'), ['wave_id'], unique=False)

    op.create_table('survey_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('column_name', sa.Text(), nullable=False),
    sa.Column('criterion', sa.String(length=20), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('theme_status', sa.String(length=20), nullable=False),
    sa.Column('themes_confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('themes_confirmed_by', sa.String(length=254), nullable=True),
    sa.Column('is_quote', sa.Boolean(), nullable=False),
    sa.Column('quote_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_survey_comments_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_comments_response_id_survey_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wave_id'], ['survey_waves.id'], name=op.f('fk_survey_comments_wave_id_survey_waves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_comments'))
    )
    with op.batch_alter_table('survey_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_comments_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_comments_response_id'), ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_comments_wave_id'), ['wave_id'], unique=False)

    op.create_table('you_said_we_did',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('said', sa.Text(), nullable=False),
    sa.Column('did', sa.Text(), nullable=False),
    sa.Column('criterion', sa.String(length=20), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['survey_comments.id'], name=op.f('fk_you_said_we_did_comment_id_survey_comments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_you_said_we_did_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_you_said_we_did'))
    )
    with op.batch_alter_table('you_said_we_did', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_you_said_we_did_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_you_said_we_did_partnership_id'), ['partnership_id'], unique=False)



def downgrade():
    with op.batch_alter_table('you_said_we_did', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_you_said_we_did_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_you_said_we_did_comment_id'))

    op.drop_table('you_said_we_did')
    with op.batch_alter_table('survey_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_comments_wave_id'))
        batch_op.drop_index(batch_op.f('ix_survey_comments_response_id'))
        batch_op.drop_index(batch_op.f('ix_survey_comments_partnership_id'))

    op.drop_table('survey_comments')
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_wave_id'))

    op.drop_table('survey_answers')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_wave_id'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_partnership_id'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('survey_waves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_waves_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_waves_partnership_id'))

    op.drop_table('survey_waves')
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_questions_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_questions_partnership_id'))

    op.drop_table('survey_questions')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveys_partnership_id'))

    op.drop_table('surveys')
