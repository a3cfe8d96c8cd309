"""Tables for the Actors page (pure pandas: linked actor rows in, frame out)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .claims import TextIndex, confirmed_absent

# --- tables for the Actors page (pure pandas: items in, frame out) --------------------------------

def prominence(items):
    """Per actor and outlet: ``articles`` mentioning it, ``mentions`` (by name),
    ``references`` (pronouns and role nouns tied to it), ``mention_share`` (its
    share of all actor mentions in those outlet's articles, 0-1; higher => more central),
    ``in_title`` / ``in_lead`` (share of the outlet's articles naming it in the headline /
    lead, 0-1) and ``first_rank`` (mean rank of its first mention among the article's
    actors; 1 => named first)."""
    import pandas as pd

    if items.empty:
        return pd.DataFrame(columns=["name", "outlet", "articles", "mentions", "references", "mention_share",
                                     "in_title", "in_lead", "first_rank"])
    d = items.copy()
    d["first_rank"] = d.groupby("article_id")["first_mention"].rank(method="min")
    per_outlet = d.groupby("outlet").agg(total=("n_mentions", "sum"), n_articles=("article_id", "nunique"))
    if "n_references" not in d:
        d["n_references"] = 0
    out = d.groupby(["name", "outlet"], as_index=False).agg(
        articles=("article_id", "nunique"), mentions=("n_mentions", "sum"),
        references=("n_references", "sum"),
        in_title=("in_title", "sum"), in_lead=("in_lead", "sum"), first_rank=("first_rank", "mean"))
    out = out.join(per_outlet, on="outlet")
    out["mention_share"] = (out["mentions"] / out["total"]).round(4)
    out["in_title"] = (out["in_title"] / out["n_articles"]).round(4)
    out["in_lead"] = (out["in_lead"] / out["n_articles"]).round(4)
    out["first_rank"] = out["first_rank"].round(2)
    return out.drop(columns=["total", "n_articles"])


def outlet_gaps(items, outlets: Iterable[str], texts: TextIndex | None = None,
                forms: Mapping[str, Sequence[str]] | None = None):
    """Per actor: the outlets that mention it and those (of ``outlets``) that do not, most
    mentioned actors first; only actors some outlet leaves out. With ``texts`` (the outlets'
    article texts) and ``forms`` (``claims.actor_forms``), an outlet whose text names the
    actor after all (a mention the tagger missed) is not said to leave it out."""
    import pandas as pd

    outlets = sorted(set(outlets))
    rows = []
    for name, rows_ in items.groupby("name"):
        present = sorted(set(rows_["outlet"]))
        missing = [o for o in outlets if o not in present]
        if missing and texts is not None:
            missing = confirmed_absent(texts, missing, (forms or {}).get(name) or [name])
        if missing:
            rows.append({"actor": name, "mentions": int(rows_["n_mentions"].sum()),
                         "outlets mentioning": ", ".join(present),
                         "outlets not mentioning": ", ".join(missing),
                         "n_outlets": len(present)})
    frame = pd.DataFrame(rows, columns=["actor", "mentions", "outlets mentioning",
                                        "outlets not mentioning", "n_outlets"])
    return frame.sort_values(["mentions", "actor"], ascending=[False, True]).reset_index(drop=True)


def co_mentions(items, names: list[str]):
    """Square frame over ``names``: the number of articles naming both actors (the diagonal:
    articles naming the actor)."""
    import pandas as pd

    sets = items[items["name"].isin(names)].groupby("name")["article_id"].agg(set)
    sets = [sets.get(name, set()) for name in names]
    return pd.DataFrame([[len(a & b) for b in sets] for a in sets], index=names, columns=names)


def actor_table(items, used):
    """One row per actor of ``items`` (linked actor rows, see ``link_frame``): type, the names
    and roles used for it, most used first (from ``used``: ``store.actor_names_used`` rows of
    the same articles under their canonical names), articles, outlets, mentions, references
    (pronouns and role nouns), headlines and
    leads naming it, and mean tone toward it ([-1, 1], None when unscored)."""
    import pandas as pd

    columns = ["actor", "type", "aliases", "roles", "articles", "outlets", "mentions",
               "references", "in headline", "in lead", "tone"]
    if items.empty:
        return pd.DataFrame(columns=columns)
    if "n_references" not in items:
        items = items.assign(n_references=0)  # rows stored before references were counted
    out = items.groupby("name").agg(
        type=("type", "first"), articles=("article_id", "nunique"), outlets=("outlet", "nunique"),
        mentions=("n_mentions", "sum"), references=("n_references", "sum"),
        **{"in headline": ("in_title", "sum"),
                                           "in lead": ("in_lead", "sum")},
        tone=("sentiment", "mean"))
    out["tone"] = out["tone"].round(3)
    used = (used.groupby(["name", "field", "text"], as_index=False)["n"].sum()
            .sort_values(["n", "text"], ascending=[False, True], kind="stable"))
    names = used.groupby(["name", "field"])["text"].agg(", ".join).unstack()
    out = out.join(names.reindex(columns=["aliases", "roles"])).fillna({"aliases": "", "roles": ""})
    out = out.reset_index().rename(columns={"name": "actor"})[columns]
    return out.sort_values(["mentions", "actor"], ascending=[False, True]).reset_index(drop=True)
