"""Coverage Lens analysis: the public API.

    import analysis
    analysis.analyze_text(text, title=None) -> dict
    analysis.target_sentiment(text, start, end) -> float   # tone toward text[start:end], [-1, 1]
"""
from .pipeline import analyze_text
from .tone import target_sentiment

__all__ = ["analyze_text", "target_sentiment"]
__version__ = "0.1.0"
