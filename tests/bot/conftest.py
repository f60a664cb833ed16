import pytest

from tests.bot.stack import start_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    yield from start_stack(tmp_path_factory.mktemp("bot"))
