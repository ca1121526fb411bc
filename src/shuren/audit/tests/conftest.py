import pytest


@pytest.fixture(autouse=True)
def checkpoint_dir(settings, tmp_path):
    """Each audit test has its own checkpoint directory outside the database, as production has one."""
    directory = tmp_path / "audit-checkpoints"
    directory.mkdir()
    settings.SHUREN_AUDIT_CHECKPOINT_DIR = str(directory)
    return directory
