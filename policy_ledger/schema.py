"""JSON Schema for the three data files, generated from the models (never written by hand).

Editors that speak the YAML language server read the schema named in a data file's first line
(``# yaml-language-server: $schema=../schema/targets.schema.json``), and complete and check fields while a
person types. The schema knows each field's type and shape; what needs the whole ledger (sums, quotes,
references) stays with ``ledger validate``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .i18n import _
from .models import FILE_MODELS
from .problems import LedgerError

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_name(data_file: str) -> str:
    """``targets.yaml`` → ``targets.schema.json``."""
    return f"{Path(data_file).stem}.schema.json"


def file_schemas() -> dict[str, dict[str, Any]]:
    """Schema file name → JSON Schema of that data file, in the order of ``FILE_MODELS``."""
    schemas = {}
    for data_file, model in FILE_MODELS.items():
        generated = model.model_json_schema(mode="validation")
        generated["title"] = data_file
        schemas[schema_name(data_file)] = {"$schema": DIALECT, **generated}
    return schemas


def schema_texts() -> dict[str, str]:
    """Each schema as the text written to disk: stable key order, Chinese kept readable."""
    schemas = file_schemas()
    return {name: json.dumps(schema, ensure_ascii=False, indent=2) + "\n" for name, schema in schemas.items()}


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder`` (created if need be); returns the files written."""
    from .fileio import FileRefused, write_output

    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in schema_texts().items():
            path = folder / name
            write_output(path, text.encode("utf-8"))
            written.append(path)
    except FileRefused as exc:
        raise LedgerError(
            _("-o {refusal}; nothing more was written").format(refusal=exc), exit_code=2
        ) from None
    except OSError as exc:
        raise LedgerError(
            _("-o {folder}: cannot write there ({reason}); name a folder").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from exc
    return written


def stale_schemas(folder: Path) -> list[Path]:
    """Schema files in ``folder`` that are missing or differ from what the models give now."""
    stale = []
    for name, text in schema_texts().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    return stale
