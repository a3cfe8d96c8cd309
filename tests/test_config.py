"""Server settings that keep a shared dashboard safe (.streamlit/config.toml)."""
import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def test_config_server_hardening_is_kept():
    cfg = tomllib.loads(CONFIG.read_text())
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["headless"] is True
    assert 1 <= cfg["server"]["maxUploadSize"] <= 200  # MB: article collections, not disk images
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["showErrorDetails"] in ("none", False)


def test_config_upload_limit_is_documented():
    readme = (CONFIG.parent.parent / "README.md").read_text()
    limit = tomllib.loads(CONFIG.read_text())["server"]["maxUploadSize"]
    assert f"{limit} MB" in readme
