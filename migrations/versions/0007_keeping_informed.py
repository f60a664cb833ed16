"""keeping the resident informed: safe times, update schedule, closure reasons, held messages, survey

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 04:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_windows', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('update_frequency', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('closure_code', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('officer_told', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('last_update_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('next_update_due', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_next_update_due'), ['next_update_due'], unique=False)

    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.alter_column('to_number', existing_type=sa.String(length=32), type_=sa.String(length=254))
        batch_op.add_column(sa.Column('purpose', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('subject', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('not_before', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('held_reason', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbound_messages_not_before'), ['not_before'], unique=False)

    op.create_table('satisfaction_surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('next_question', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_satisfaction_surveys_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_surveys')),
    sa.UniqueConstraint('report_id', name=op.f('uq_satisfaction_surveys_report_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_satisfaction_surveys_token_hash'))
    )
    with op.batch_alter_table('satisfaction_surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfaction_surveys_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_satisfaction_surveys_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_satisfaction_surveys_completed_at'), ['completed_at'], unique=False)


def downgrade():
    op.drop_table('satisfaction_surveys')
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_messages_not_before'))
        batch_op.drop_column('held_reason')
        batch_op.drop_column('not_before')
        batch_op.drop_column('subject')
        batch_op.drop_column('purpose')
        batch_op.alter_column('to_number', existing_type=sa.String(length=254), type_=sa.String(length=32))
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_next_update_due'))
        batch_op.drop_column('next_update_due')
        batch_op.drop_column('last_update_at')
        batch_op.drop_column('officer_told')
        batch_op.drop_column('closure_code')
        batch_op.drop_column('update_frequency')
        batch_op.drop_column('contact_windows')
