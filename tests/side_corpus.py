"""A hand-written corpus of two stories by outlets of known leaning (tests of outlet
profiles, coverage by side and the Stories page). Leanings come from ``OUTLETS``, written
as the user's outlets file by ``write_outlets``."""
import datetime as dt
import json

from analysis.model import Article

OUTLETS = {
    "Left Daily": {"leaning": "left", "domains": ["leftdaily.example"], "kind": "newspaper"},
    "Left Weekly": {"leaning": "lean left", "kind": "newspaper"},
    "Right Post": {"leaning": "right", "aliases": ["The Right Post"], "kind": "digital"},
    "Right Wire": {"leaning": "lean right", "kind": "wire"},
    "Right Radio": {"leaning": "right", "kind": "broadcaster"},
}

DAM = "Harbour dam"
BUDGET = "School budget"


def articles() -> list[Article]:
    d = dt.date
    return [
        Article(outlet="Left Daily", story=DAM, published=d(2024, 5, 1),
                url="https://www.leftdaily.example/dam", title="Council backs harbour dam despite flood fears",
                text="The city council approved the harbour dam on Monday after a long debate. "
                     "Engineers warned that the river could flood the northern valley. "
                     "\"This dam will ruin the valley for our children,\" said Maria Lopez, a local farmer. "
                     "Environmental groups said they would appeal the decision in court."),
        Article(outlet="Left Weekly", story=DAM, published=d(2024, 5, 2),
                title="Farmers fear the harbour dam",
                text="The city council approved the harbour dam on Monday after hours of debate. "
                     "Engineers warned the river might flood the whole northern valley. "
                     "\"This dam will ruin the valley for our children,\" Maria Lopez told the council. "
                     "Residents of the valley gathered outside the town hall in the rain."),
        Article(outlet="Right Post", story=DAM, published=d(2024, 5, 1),
                title="Dam approved: 400 jobs for the harbour!",
                text="The city council approved the harbour dam on Monday. "
                     "The project will create 400 construction jobs, said Mayor Tom Reed. "
                     "Taxes will not rise to pay for the new dam, the mayor promised. "
                     "Local builders welcomed the vote and expect work to begin in June."),
        Article(outlet="Right Wire", story=DAM, published=d(2024, 5, 3),
                title="Harbour dam wins council vote",
                text="The council approved the harbour dam on Monday by seven votes to two. "
                     "Mayor Tom Reed said the project will create 400 construction jobs. "
                     "Work on the foundations is expected to begin in June."),
        Article(outlet="Right Post", story=BUDGET, published=d(2024, 6, 10),
                title="School budget cut by a tenth",
                text="The school board cut the district budget by ten percent on Tuesday. "
                     "Board chair Linda Moss said the savings would fund new textbooks. "
                     "Teachers warned that classes would grow larger next year."),
        Article(outlet="Right Wire", story=BUDGET, published=d(2024, 6, 10),
                title="Board trims school spending",
                text="The school board cut the district budget by ten percent on Tuesday. "
                     "Linda Moss, the board chair, said the savings would pay for new textbooks."),
        Article(outlet="Right Radio", story=BUDGET, published=d(2024, 6, 11),
                title="Budget cut will fund textbooks, board says",
                text="The school board voted on Tuesday to cut the district budget by ten percent. "
                     "The savings will fund new textbooks, board chair Linda Moss said. "
                     "Parents at the meeting applauded the decision."),
        Article(outlet="Left Daily", story=BUDGET, published=d(2024, 6, 12),
                title="Teachers angry at budget cut",
                text="Teachers reacted with anger to the ten percent cut in the school budget. "
                     "Class sizes will grow next year, the teachers union said."),
    ]


def write_outlets(path) -> None:
    """The user's outlets file rating the corpus's outlets."""
    path.write_text(json.dumps({"outlets": OUTLETS}), encoding="utf-8")
