"""The small JSON files users edit beside the shipped ones (the alias file, the outlets file):
read one as a JSON object, know when it changed, write it without a reader ever seeing half."""
from __future__ import annotations

import json
from pathlib import Path


def read_json_object(path: Path, what: str) -> dict:
    """The JSON object in ``path`` ({} when the file does not exist); a ValueError naming the
    file and ``what`` it should be ("alias file") when it is unreadable or not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable {what} ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: {'an' if what[0] in 'aeiou' else 'a'} {what} holds a JSON object")
    return data


def file_key(path: Path) -> tuple:
    """(path, modification time, size): what a cache of the file's contents is keyed on."""
    try:
        st = path.stat()
        return (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(path), None, None)


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)  # atomic: a reader never sees half a file
