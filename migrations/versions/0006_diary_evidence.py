"""diary evidence: files outside the database, with their hashes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 01:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('diary_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('stored_as', sa.String(length=80), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['diary_entries.id'], name=op.f('fk_diary_evidence_entry_id_diary_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diary_evidence'))
    )
    with op.batch_alter_table('diary_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diary_evidence_entry_id'), ['entry_id'], unique=False)


def downgrade():
    with op.batch_alter_table('diary_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diary_evidence_entry_id'))
    op.drop_table('diary_evidence')
