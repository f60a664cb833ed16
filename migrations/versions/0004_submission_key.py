"""reports handed over by the bot: a submission key, so a repeat is stored once

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_reports_submission_key'), ['submission_key'])


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_reports_submission_key'), type_='unique')
        batch_op.drop_column('submission_key')
