"""Modal primitives, and reading a submitted view's state back: the two halves in one place.

Builders respect Slack's limits (title 24, options 100 a select, option text 75, value
150, private_metadata 3000). Readers accept a block id given exactly or with a ".<rev>"
suffix: a select whose options change gets a new block id, because Slack keeps a block's
old value across `views.update` while its id stays the same.
"""

from __future__ import annotations

import json
from typing import Any

from bot.blocks import limits
from bot.blocks.kit import BlockDict, plain, section, truncate
from bot.ids import View


def modal(
    callback_id: str,
    title: str,
    blocks: list[BlockDict],
    *,
    submit: str | None = None,
    close: str = "Cancel",
    meta: dict[str, Any] | None = None,
    notify_on_close: bool = False,
) -> dict[str, Any]:
    """A modal view; `meta` travels as JSON in private_metadata (refused when too long)."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, limits.MODAL_TITLE),
        "close": plain(close, limits.MODAL_TITLE),
        "blocks": blocks[: limits.VIEW_BLOCKS],
    }
    if submit:
        view["submit"] = plain(submit, limits.MODAL_TITLE)
    if meta is not None:
        view["private_metadata"] = encode_meta(meta)
    if notify_on_close:
        view["notify_on_close"] = True
    return view


def encode_meta(meta: dict[str, Any]) -> str:
    """`meta` as private_metadata: compact JSON, refused when over Slack's 3000 characters."""
    encoded = json.dumps(meta, separators=(",", ":"), ensure_ascii=False)
    if len(encoded) > limits.PRIVATE_METADATA:
        raise ValueError(f"private_metadata of {len(encoded)} characters")
    return encoded


def notice(
    title: str,
    text: str,
    *,
    extra: list[BlockDict] | None = None,
    meta: dict[str, Any] | None = None,
    notify_on_close: bool = False,
) -> dict[str, Any]:
    """A modal that only says something: loading, done, or what went wrong."""
    blocks = [section(text), *(extra or [])]
    return modal(
        View.NOTICE, title, blocks, close="Close", meta=meta, notify_on_close=notify_on_close
    )


def problem(title: str, text: str) -> dict[str, Any]:
    """A modal that says what went wrong (worded by bot/blocks/errors.py)."""
    return notice(title, f":warning: {text}")


def input_block(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    dispatch: bool = False,
    hint: str | None = None,
) -> BlockDict:
    block: BlockDict = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if dispatch:
        block["dispatch_action"] = True
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, limits.OPTION_TEXT), "value": value[: limits.OPTION_VALUE]}


def static_select(
    action_id: str,
    options: list[dict[str, Any]],
    *,
    initial: str | None = None,
    placeholder: str | None = None,
) -> dict[str, Any]:
    """A select of at most 100 options; `initial` is an option's value."""
    options = options[: limits.SELECT_OPTIONS]
    element: dict[str, Any] = {"type": "static_select", "action_id": action_id, "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return element


def grouped_select(
    action_id: str,
    groups: list[tuple[str, list[dict[str, Any]]]],
    *,
    initial: str | None = None,
    placeholder: str | None = None,
) -> dict[str, Any]:
    """A select whose options come in labelled groups: up to 100 groups of 100 options,
    for lists longer than a plain select's 100 (a day of 5-minute slots)."""
    option_groups = [
        {"label": plain(label, limits.OPTION_TEXT), "options": options[: limits.SELECT_OPTIONS]}
        for label, options in groups[: limits.SELECT_OPTIONS]
        if options
    ]
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "option_groups": option_groups,
    }
    every = (o for g in option_groups for o in g["options"])
    chosen = next((o for o in every if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return element


def text_input(
    action_id: str,
    *,
    initial: str | None = None,
    multiline: bool = False,
    max_length: int | None = None,
    placeholder: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": action_id}
    if initial:
        element["initial_value"] = truncate(initial, max_length or 3000)
    if multiline:
        element["multiline"] = True
    if max_length:
        element["max_length"] = max_length
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return element


# ------------------------------------------------------------------------- reading back


def meta_of(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def state_of(view: dict[str, Any], block_id: str) -> dict[str, dict[str, Any]]:
    """The state of block `block_id` (or `block_id.<rev>`): {action_id: element state}."""
    values = (view.get("state") or {}).get("values") or {}
    for key, actions in values.items():
        if key == block_id or key.startswith(f"{block_id}."):
            return actions or {}
    return {}


def _scalar(element: dict[str, Any]) -> str | None:
    for key in ("value", "selected_user", "selected_date", "selected_time"):
        if element.get(key) is not None:
            return str(element[key])
    chosen = element.get("selected_option")
    return str(chosen["value"]) if isinstance(chosen, dict) and "value" in chosen else None


def picked(view: dict[str, Any], block_id: str, action_id: str | None = None) -> str | None:
    """What the user entered or chose in a block ('' stays '', None when never touched)."""
    actions = state_of(view, block_id)
    if action_id is not None:
        element = actions.get(action_id)
        return _scalar(element) if element else None
    for element in actions.values():
        return _scalar(element)
    return None


def picked_many(view: dict[str, Any], block_id: str, action_id: str | None = None) -> list[str]:
    """The values chosen in a checkboxes or multi-select element."""
    actions = state_of(view, block_id)
    elements = [actions.get(action_id) or {}] if action_id else list(actions.values())
    for element in elements:
        if "selected_options" in element:
            return [str(o.get("value")) for o in element.get("selected_options") or []]
    return []


def _block(view: dict[str, Any], block_id: str) -> dict[str, Any] | None:
    for block in view.get("blocks") or []:
        found = block.get("block_id") or ""
        if found == block_id or found.startswith(f"{block_id}."):
            return block
    return None


def block_id_of(view: dict[str, Any], block_id: str) -> str | None:
    """The full id of block `block_id` (with its rev) in `view`, for errors keyed by block."""
    block = _block(view, block_id)
    return block.get("block_id") if block else None


_INITIAL = ("initial_value", "initial_user", "initial_date", "initial_time")


def initial_of(view: dict[str, Any], block_id: str) -> str | None:
    """What an input block showed when it was rendered (a submission carries the blocks):
    comparing it with `picked` tells an edit from a field left alone."""
    element = (_block(view, block_id) or {}).get("element") or {}
    for key in _INITIAL:
        if element.get(key) is not None:
            return str(element[key])
    chosen = element.get("initial_option")
    return str(chosen["value"]) if isinstance(chosen, dict) and "value" in chosen else None


def initial_many(view: dict[str, Any], block_id: str) -> list[str]:
    """The values a checkboxes or multi-select block showed ticked when it was rendered."""
    element = (_block(view, block_id) or {}).get("element") or {}
    return [str(o.get("value")) for o in element.get("initial_options") or []]
