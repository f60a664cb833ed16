import pytest


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    # Imported here: the pure conversation tests also run in the bot's environment, which has no Flask.
    from tests.bot.stack import start_stack

    yield from start_stack(tmp_path_factory.mktemp("bot"))
