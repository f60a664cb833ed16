"""conversation claims: which SMS worker is handling a number's texts, and until when

Several worker processes (and threads) share the store; each number's texts
must go to the bot one at a time and in order, so a worker claims the
number first. A worker that dies leaves a claim that lapses.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sms_conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('sms_conversations', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')
