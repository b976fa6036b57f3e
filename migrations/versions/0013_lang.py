"""A person's language: what their platform says and their own choice (`language zh-TW`), on their row

Revision ID: 0013_lang
Revises: 0012_undo
Create Date: 2026-12-01 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_lang'
down_revision: str | Sequence[str] | None = '0012_undo'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.add_column(sa.Column('locale', sa.String(length=35), nullable=True))
        batch.add_column(sa.Column('language', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.drop_column('language')
        batch.drop_column('locale')
