"""Block Kit validation the way Slack's servers do it, for the Slack emulator.

``validate_blocks(blocks, surface)`` and ``validate_view(view)`` return a list of error
strings in Slack's own format, ``"<what is wrong> [json-pointer:/blocks/0/text/text]"``;
an empty list means the payload would be accepted. The emulator wraps them the way Slack
does: ``invalid_blocks`` with ``errors`` for messages, ``invalid_arguments`` with
``response_metadata.messages`` for views.

Checked: known block and element types with their required and allowed properties
(unknown properties are rejected, as Slack does), text object types and lengths, the
limits of bot/blocks/limits.py and Slack's reference, block_id uniqueness within a message or
view, action_id uniqueness within a block, where input blocks may appear, confirm
dialogs, options and option groups, and the view-level rules of modals and home tabs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

Surface = Literal["message", "modal", "home"]

MAX_BLOCKS: dict[str, int] = {"message": 50, "modal": 100, "home": 100}
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_ID = 255
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_OPTION_DESCRIPTION = 75
MAX_SELECT_OPTIONS = 100
MAX_OPTION_GROUPS = 100
MAX_OPTION_GROUP_LABEL = 75
MAX_CHOICE_OPTIONS = 10  # radio_buttons and checkboxes
MAX_OVERFLOW_OPTIONS = 5
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_PLACEHOLDER = 150
MAX_LABEL = 2000
MAX_HINT = 2000
MAX_ALT_TEXT = 2000
MAX_IMAGE_TITLE = 2000
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30
MAX_ACCESSIBILITY_LABEL = 75
MAX_TEXT_INPUT_LENGTH = 3000
MAX_MARKDOWN_BLOCK_TEXT = 12000
MAX_MODAL_TITLE = 24
MAX_MODAL_BUTTON = 24
MAX_PRIVATE_METADATA = 3000
MAX_CALLBACK_ID = 255
MAX_EXTERNAL_ID = 255

_SELECT_COMMON = {"type", "action_id", "placeholder", "confirm", "focus_on_load"}
_TEXT_INPUT_COMMON = {
    "type",
    "action_id",
    "placeholder",
    "initial_value",
    "dispatch_action_config",
    "focus_on_load",
}

# element type -> allowed properties
ELEMENT_PROPS: dict[str, set[str]] = {
    "button": {
        "type",
        "text",
        "action_id",
        "url",
        "value",
        "style",
        "confirm",
        "accessibility_label",
    },
    "static_select": _SELECT_COMMON | {"options", "option_groups", "initial_option"},
    "multi_static_select": _SELECT_COMMON
    | {"options", "option_groups", "initial_options", "max_selected_items"},
    "external_select": _SELECT_COMMON | {"initial_option", "min_query_length"},
    "multi_external_select": _SELECT_COMMON
    | {"initial_options", "min_query_length", "max_selected_items"},
    "users_select": _SELECT_COMMON | {"initial_user"},
    "multi_users_select": _SELECT_COMMON | {"initial_users", "max_selected_items"},
    "conversations_select": _SELECT_COMMON
    | {"initial_conversation", "default_to_current_conversation", "response_url_enabled", "filter"},
    "multi_conversations_select": _SELECT_COMMON
    | {"initial_conversations", "default_to_current_conversation", "max_selected_items", "filter"},
    "channels_select": _SELECT_COMMON | {"initial_channel", "response_url_enabled"},
    "multi_channels_select": _SELECT_COMMON | {"initial_channels", "max_selected_items"},
    "datepicker": {"type", "action_id", "initial_date", "confirm", "focus_on_load", "placeholder"},
    "timepicker": {
        "type",
        "action_id",
        "initial_time",
        "confirm",
        "focus_on_load",
        "placeholder",
        "timezone",
    },
    "datetimepicker": {"type", "action_id", "initial_date_time", "confirm", "focus_on_load"},
    "plain_text_input": _TEXT_INPUT_COMMON | {"multiline", "min_length", "max_length"},
    "email_text_input": set(_TEXT_INPUT_COMMON),
    "url_text_input": set(_TEXT_INPUT_COMMON),
    "number_input": _TEXT_INPUT_COMMON | {"is_decimal_allowed", "min_value", "max_value"},
    "radio_buttons": {"type", "action_id", "options", "initial_option", "confirm", "focus_on_load"},
    "checkboxes": {"type", "action_id", "options", "initial_options", "confirm", "focus_on_load"},
    "overflow": {"type", "action_id", "options", "confirm"},
    "image": {"type", "image_url", "alt_text", "slack_file"},
}

_SELECTS = {t for t in ELEMENT_PROPS if t.endswith("_select")}
_INTERACTIVE_COMMON = {
    "button",
    "checkboxes",
    "datepicker",
    "overflow",
    "radio_buttons",
    "timepicker",
    "datetimepicker",
} | _SELECTS
SECTION_ACCESSORIES = (_INTERACTIVE_COMMON - {"datetimepicker"}) | {"image"}
ACTIONS_ELEMENTS = set(_INTERACTIVE_COMMON)
INPUT_ELEMENTS = {
    "plain_text_input",
    "email_text_input",
    "url_text_input",
    "number_input",
    "datepicker",
    "timepicker",
    "datetimepicker",
    "radio_buttons",
    "checkboxes",
} | _SELECTS

BLOCK_PROPS: dict[str, set[str]] = {
    "section": {"type", "block_id", "text", "fields", "accessory", "expand"},
    "actions": {"type", "block_id", "elements"},
    "context": {"type", "block_id", "elements"},
    "divider": {"type", "block_id"},
    "header": {"type", "block_id", "text"},
    "image": {"type", "block_id", "image_url", "alt_text", "title", "slack_file"},
    "input": {"type", "block_id", "label", "element", "dispatch_action", "hint", "optional"},
    "rich_text": {"type", "block_id", "elements"},
    "markdown": {"type", "block_id", "text"},
}

MODAL_PROPS = {
    "type",
    "title",
    "blocks",
    "close",
    "submit",
    "private_metadata",
    "callback_id",
    "clear_on_close",
    "notify_on_close",
    "external_id",
}  # no submit_disabled: Slack answers "invalid additional property" for it on modals
HOME_PROPS = {"type", "blocks", "private_metadata", "callback_id", "external_id"}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def validate_blocks(
    blocks: Any, surface: Surface = "message", *, pointer: str = "/blocks"
) -> list[str]:
    """Errors Slack would report for ``blocks`` on ``surface``; [] when valid."""
    v = _Validator(surface)
    v.blocks(blocks, pointer)
    return v.errors


def validate_view(view: Any, *, pointer: str = "/view") -> list[str]:
    """Errors Slack would report for a view payload (modal or home); [] when valid."""
    v = _Validator("modal")
    v.view(view, pointer)
    return v.errors


def error_messages(errors: Iterable[str]) -> list[str]:
    """The ``response_metadata.messages`` form of errors: each prefixed with ``[ERROR]``."""
    return [f"[ERROR] {e}" for e in errors]


class _Validator:
    def __init__(self, surface: Surface) -> None:
        self.surface: Surface = surface
        self.errors: list[str] = []

    # -- primitives -------------------------------------------------------------------------

    def err(self, ptr: str, message: str) -> None:
        self.errors.append(f"{message} [json-pointer:{ptr}]")

    def props(self, obj: dict[str, Any], ptr: str, allowed: set[str]) -> None:
        for key in obj:
            if key not in allowed:
                self.err(ptr, f"invalid additional property: {key}")

    def string(
        self,
        obj: dict[str, Any],
        key: str,
        ptr: str,
        *,
        max_len: int | None = None,
        required: bool = False,
        min_len: int = 0,
    ) -> str | None:
        if key not in obj or obj[key] is None:
            if required:
                self.err(ptr, f"missing required field: {key}")
            return None
        value = obj[key]
        here = f"{ptr}/{key}"
        if not isinstance(value, str):
            self.err(here, "must be a string")
            return None
        if len(value) < min_len:
            self.err(here, f"must be more than {min_len - 1} characters")
        if max_len is not None and len(value) > max_len:
            self.err(here, f"must be less than {max_len + 1} characters")
        return value

    def boolean(self, obj: dict[str, Any], key: str, ptr: str, *, required: bool = False) -> None:
        if key not in obj:
            if required:
                self.err(ptr, f"missing required field: {key}")
            return
        if not isinstance(obj[key], bool):
            self.err(f"{ptr}/{key}", "must be a boolean")

    def integer(self, obj: dict[str, Any], key: str, ptr: str, *, lo: int, hi: int) -> None:
        if key not in obj:
            return
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(f"{ptr}/{key}", "must be an integer")
        elif not lo <= value <= hi:
            self.err(f"{ptr}/{key}", f"must be between {lo} and {hi}")

    def obj(self, value: Any, ptr: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.err(ptr, "must provide an object")
            return None
        return value

    def array(
        self, value: Any, ptr: str, *, max_items: int | None = None, min_items: int = 0
    ) -> list[Any] | None:
        if not isinstance(value, list):
            self.err(ptr, "must provide an array")
            return None
        if len(value) < min_items:
            self.err(ptr, f"must provide at least {min_items} items")
        if max_items is not None and len(value) > max_items:
            self.err(ptr, f"no more than {max_items} items allowed")
        return value

    def text(
        self,
        parent: dict[str, Any],
        key: str,
        ptr: str,
        *,
        plain: bool = False,
        max_len: int | None = None,
        required: bool = False,
    ) -> None:
        """A text object at parent[key]; ``plain`` when Slack demands plain_text."""
        if key not in parent or parent[key] is None:
            if required:
                self.err(ptr, f"missing required field: {key}")
            return
        self.text_object(parent[key], f"{ptr}/{key}", plain=plain, max_len=max_len)

    def text_object(
        self, value: Any, ptr: str, *, plain: bool = False, max_len: int | None = None
    ) -> None:
        obj = self.obj(value, ptr)
        if obj is None:
            return
        kind = obj.get("type")
        if kind not in ("plain_text", "mrkdwn") or (plain and kind != "plain_text"):
            if "type" not in obj:
                self.err(ptr, "missing required field: type")
            else:
                self.err(f"{ptr}/type", "must be a valid enum value")
            return
        self.props(
            obj,
            ptr,
            {"type", "text", "emoji"} if kind == "plain_text" else {"type", "text", "verbatim"},
        )
        self.string(obj, "text", ptr, max_len=max_len, required=True, min_len=1)
        if kind == "plain_text":
            self.boolean(obj, "emoji", ptr)
        else:
            self.boolean(obj, "verbatim", ptr)

    def ident(self, obj: dict[str, Any], key: str, ptr: str) -> str | None:
        return self.string(obj, key, ptr, max_len=MAX_ID, min_len=1)

    # -- blocks -----------------------------------------------------------------------------

    def blocks(self, blocks: Any, ptr: str) -> None:
        items = self.array(blocks, ptr, max_items=MAX_BLOCKS[self.surface])
        if items is None:
            return
        seen: dict[str, int] = {}
        for i, block in enumerate(items):
            here = f"{ptr}/{i}"
            b = self.obj(block, here)
            if b is None:
                continue
            self.block(b, here)
            block_id = b.get("block_id")
            if isinstance(block_id, str):
                if block_id in seen:
                    self.err(f"{here}/block_id", f"duplicate block_id: {block_id}")
                else:
                    seen[block_id] = i

    def block(self, b: dict[str, Any], ptr: str) -> None:
        kind = b.get("type")
        if kind is None:
            self.err(ptr, "missing required field: type")
            return
        if kind not in BLOCK_PROPS:
            self.err(f"{ptr}/type", f"unsupported block type: {kind}")
            return
        self.props(b, ptr, BLOCK_PROPS[kind])
        self.ident(b, "block_id", ptr)
        getattr(self, f"block_{kind}")(b, ptr)

    def block_section(self, b: dict[str, Any], ptr: str) -> None:
        if b.get("text") is None and b.get("fields") is None:
            self.err(ptr, "must define either `text` or `fields`")
        self.text(b, "text", ptr, max_len=MAX_SECTION_TEXT)
        if b.get("fields") is not None:
            fields = self.array(
                b["fields"], f"{ptr}/fields", max_items=MAX_SECTION_FIELDS, min_items=1
            )
            for i, field in enumerate(fields or []):
                self.text_object(field, f"{ptr}/fields/{i}", max_len=MAX_FIELD_TEXT)
        if "accessory" in b:
            self.element(b["accessory"], f"{ptr}/accessory", SECTION_ACCESSORIES, "section")
        self.boolean(b, "expand", ptr)

    def block_actions(self, b: dict[str, Any], ptr: str) -> None:
        if "elements" not in b:
            self.err(ptr, "missing required field: elements")
            return
        elements = self.array(
            b["elements"], f"{ptr}/elements", max_items=MAX_ACTIONS_ELEMENTS, min_items=1
        )
        seen: set[str] = set()
        for i, element in enumerate(elements or []):
            here = f"{ptr}/elements/{i}"
            self.element(element, here, ACTIONS_ELEMENTS, "actions")
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if isinstance(action_id, str):
                if action_id in seen:
                    self.err(f"{here}/action_id", f"duplicate action_id: {action_id}")
                seen.add(action_id)

    def block_context(self, b: dict[str, Any], ptr: str) -> None:
        if "elements" not in b:
            self.err(ptr, "missing required field: elements")
            return
        elements = self.array(
            b["elements"], f"{ptr}/elements", max_items=MAX_CONTEXT_ELEMENTS, min_items=1
        )
        for i, element in enumerate(elements or []):
            here = f"{ptr}/elements/{i}"
            e = self.obj(element, here)
            if e is None:
                continue
            if e.get("type") == "image":
                self.element(e, here, {"image"}, "context")
            else:
                self.text_object(e, here)

    def block_divider(self, b: dict[str, Any], ptr: str) -> None:
        pass

    def block_header(self, b: dict[str, Any], ptr: str) -> None:
        self.text(b, "text", ptr, plain=True, max_len=MAX_HEADER_TEXT, required=True)

    def block_image(self, b: dict[str, Any], ptr: str) -> None:
        self.image_source(b, ptr)
        self.text(b, "title", ptr, plain=True, max_len=MAX_IMAGE_TITLE)

    def block_input(self, b: dict[str, Any], ptr: str) -> None:
        if self.surface == "message":
            self.err(f"{ptr}/type", "input blocks are only allowed in modals and home tabs")
        self.text(b, "label", ptr, plain=True, max_len=MAX_LABEL, required=True)
        self.text(b, "hint", ptr, plain=True, max_len=MAX_HINT)
        self.boolean(b, "optional", ptr)
        self.boolean(b, "dispatch_action", ptr)
        if "element" not in b:
            self.err(ptr, "missing required field: element")
        else:
            self.element(b["element"], f"{ptr}/element", INPUT_ELEMENTS, "input")

    def block_rich_text(self, b: dict[str, Any], ptr: str) -> None:
        if "elements" not in b:
            self.err(ptr, "missing required field: elements")
            return
        for i, element in enumerate(self.array(b["elements"], f"{ptr}/elements") or []):
            e = self.obj(element, f"{ptr}/elements/{i}")
            if e is not None and not isinstance(e.get("type"), str):
                self.err(f"{ptr}/elements/{i}", "missing required field: type")

    def block_markdown(self, b: dict[str, Any], ptr: str) -> None:
        if self.surface != "message":
            self.err(f"{ptr}/type", "markdown blocks are only allowed in messages")
        self.string(b, "text", ptr, max_len=MAX_MARKDOWN_BLOCK_TEXT, required=True, min_len=1)

    def image_source(self, e: dict[str, Any], ptr: str) -> None:
        if e.get("image_url") is None and e.get("slack_file") is None:
            self.err(ptr, "must provide either `image_url` or `slack_file`")
        url = self.string(e, "image_url", ptr, max_len=MAX_URL, min_len=1)
        if url is not None and not url.startswith(("http://", "https://")):
            self.err(f"{ptr}/image_url", "must be a valid URL")
        if e.get("slack_file") is not None:
            self.obj(e["slack_file"], f"{ptr}/slack_file")
        self.string(e, "alt_text", ptr, max_len=MAX_ALT_TEXT, required=True, min_len=1)

    # -- elements ---------------------------------------------------------------------------

    def element(self, value: Any, ptr: str, allowed: set[str], where: str) -> None:
        e = self.obj(value, ptr)
        if e is None:
            return
        kind = e.get("type")
        if kind is None:
            self.err(ptr, "missing required field: type")
            return
        if kind not in ELEMENT_PROPS:
            self.err(f"{ptr}/type", f"unsupported element type: {kind}")
            return
        if kind not in allowed:
            self.err(f"{ptr}/type", f"element type {kind} is not allowed in {where} blocks")
            return
        self.props(e, ptr, ELEMENT_PROPS[kind])
        self.ident(e, "action_id", ptr)
        if "placeholder" in ELEMENT_PROPS[kind]:
            self.text(e, "placeholder", ptr, plain=True, max_len=MAX_PLACEHOLDER)
        if e.get("confirm") is not None:
            self.confirm(e["confirm"], f"{ptr}/confirm")
        self.boolean(e, "focus_on_load", ptr)
        if kind in _SELECTS:
            self.select(e, kind, ptr)
        else:
            getattr(self, f"element_{kind}")(e, ptr)

    def element_button(self, e: dict[str, Any], ptr: str) -> None:
        self.text(e, "text", ptr, plain=True, max_len=MAX_BUTTON_TEXT, required=True)
        self.string(e, "value", ptr, max_len=MAX_BUTTON_VALUE, min_len=1)
        self.string(e, "url", ptr, max_len=MAX_URL, min_len=1)
        self.string(e, "accessibility_label", ptr, max_len=MAX_ACCESSIBILITY_LABEL, min_len=1)
        if "style" in e and e["style"] not in ("primary", "danger"):
            self.err(f"{ptr}/style", "must be a valid enum value")

    def element_image(self, e: dict[str, Any], ptr: str) -> None:
        self.image_source(e, ptr)

    def element_datepicker(self, e: dict[str, Any], ptr: str) -> None:
        date = self.string(e, "initial_date", ptr)
        if date is not None and not _DATE.match(date):
            self.err(f"{ptr}/initial_date", "must be a valid date in the format YYYY-MM-DD")

    def element_timepicker(self, e: dict[str, Any], ptr: str) -> None:
        hhmm = self.string(e, "initial_time", ptr)
        if hhmm is not None and not _TIME.match(hhmm):
            self.err(f"{ptr}/initial_time", "must be a valid time in the format HH:mm")
        self.string(e, "timezone", ptr, min_len=1)

    def element_datetimepicker(self, e: dict[str, Any], ptr: str) -> None:
        self.integer(e, "initial_date_time", ptr, lo=0, hi=2**40)

    def element_plain_text_input(self, e: dict[str, Any], ptr: str) -> None:
        self.string(e, "initial_value", ptr)
        self.boolean(e, "multiline", ptr)
        self.integer(e, "min_length", ptr, lo=0, hi=MAX_TEXT_INPUT_LENGTH)
        self.integer(e, "max_length", ptr, lo=1, hi=MAX_TEXT_INPUT_LENGTH)

    def element_email_text_input(self, e: dict[str, Any], ptr: str) -> None:
        self.string(e, "initial_value", ptr)

    def element_url_text_input(self, e: dict[str, Any], ptr: str) -> None:
        self.string(e, "initial_value", ptr)

    def element_number_input(self, e: dict[str, Any], ptr: str) -> None:
        self.boolean(e, "is_decimal_allowed", ptr, required=True)
        for key in ("initial_value", "min_value", "max_value"):
            self.string(e, key, ptr)

    def element_radio_buttons(self, e: dict[str, Any], ptr: str) -> None:
        options = self.options(e, ptr, max_items=MAX_CHOICE_OPTIONS, plain=False, required=True)
        self.initial(e, "initial_option", ptr, options, many=False, plain=False)

    def element_checkboxes(self, e: dict[str, Any], ptr: str) -> None:
        options = self.options(e, ptr, max_items=MAX_CHOICE_OPTIONS, plain=False, required=True)
        self.initial(e, "initial_options", ptr, options, many=True, plain=False)

    def element_overflow(self, e: dict[str, Any], ptr: str) -> None:
        self.options(
            e, ptr, max_items=MAX_OVERFLOW_OPTIONS, plain=True, required=True, allow_url=True
        )

    def select(self, e: dict[str, Any], kind: str, ptr: str) -> None:
        many = kind.startswith("multi_")
        if many:
            self.integer(e, "max_selected_items", ptr, lo=1, hi=MAX_SELECT_OPTIONS)
        if kind in ("external_select", "multi_external_select"):
            self.integer(e, "min_query_length", ptr, lo=0, hi=2**31)
        key = "initial_options" if many else "initial_option"
        if kind in ("static_select", "multi_static_select"):
            has_options = e.get("options") is not None
            has_groups = e.get("option_groups") is not None
            if has_options == has_groups:
                self.err(ptr, "must provide exactly one of `options` or `option_groups`")
            options: list[dict[str, Any]] = []
            if has_options:
                options = self.options(e, ptr, max_items=MAX_SELECT_OPTIONS, plain=True)
            if has_groups:
                options = self.option_groups(e, ptr)
            self.initial(e, key, ptr, options, many=many, plain=True)
        elif kind in ("external_select", "multi_external_select"):
            self.initial(e, key, ptr, None, many=many, plain=True)
        if kind in ("conversations_select", "multi_conversations_select"):
            if "filter" in e:
                self.conversation_filter(e["filter"], f"{ptr}/filter")
            self.boolean(e, "default_to_current_conversation", ptr)
        if "response_url_enabled" in e:
            self.boolean(e, "response_url_enabled", ptr)

    def conversation_filter(self, value: Any, ptr: str) -> None:
        f = self.obj(value, ptr)
        if f is None:
            return
        self.props(f, ptr, {"include", "exclude_external_shared_channels", "exclude_bot_users"})
        if "include" in f:
            for i, kind in enumerate(self.array(f["include"], f"{ptr}/include", min_items=1) or []):
                if kind not in ("im", "mpim", "private", "public"):
                    self.err(f"{ptr}/include/{i}", "must be a valid enum value")

    # -- options and confirm ----------------------------------------------------------------

    def options(
        self,
        e: dict[str, Any],
        ptr: str,
        *,
        max_items: int,
        plain: bool,
        required: bool = False,
        allow_url: bool = False,
    ) -> list[dict[str, Any]]:
        if e.get("options") is None:
            if required:
                self.err(ptr, "missing required field: options")
            return []
        items = self.array(e["options"], f"{ptr}/options", max_items=max_items, min_items=1)
        good: list[dict[str, Any]] = []
        for i, option in enumerate(items or []):
            if self.option(option, f"{ptr}/options/{i}", plain=plain, allow_url=allow_url):
                good.append(option)
        return good

    def option(self, value: Any, ptr: str, *, plain: bool, allow_url: bool = False) -> bool:
        o = self.obj(value, ptr)
        if o is None:
            return False
        before = len(self.errors)
        allowed = {"text", "value", "description"} | ({"url"} if allow_url else set())
        self.props(o, ptr, allowed)
        self.text(o, "text", ptr, plain=plain, max_len=MAX_OPTION_TEXT, required=True)
        self.string(o, "value", ptr, max_len=MAX_OPTION_VALUE, required=True, min_len=1)
        self.text(o, "description", ptr, plain=plain, max_len=MAX_OPTION_DESCRIPTION)
        if allow_url:
            self.string(o, "url", ptr, max_len=MAX_URL, min_len=1)
        return len(self.errors) == before

    def option_groups(self, e: dict[str, Any], ptr: str) -> list[dict[str, Any]]:
        groups = self.array(
            e["option_groups"], f"{ptr}/option_groups", max_items=MAX_OPTION_GROUPS, min_items=1
        )
        good: list[dict[str, Any]] = []
        for i, group in enumerate(groups or []):
            here = f"{ptr}/option_groups/{i}"
            g = self.obj(group, here)
            if g is None:
                continue
            self.props(g, here, {"label", "options"})
            self.text(g, "label", here, plain=True, max_len=MAX_OPTION_GROUP_LABEL, required=True)
            good += self.options(g, here, max_items=MAX_SELECT_OPTIONS, plain=True, required=True)
        return good

    def initial(
        self,
        e: dict[str, Any],
        key: str,
        ptr: str,
        options: list[dict[str, Any]] | None,
        *,
        many: bool,
        plain: bool,
    ) -> None:
        """initial_option(s): valid options and, where options are known, one of them."""
        if e.get(key) is None:
            return
        here = f"{ptr}/{key}"
        chosen = self.array(e[key], here, min_items=1) if many else [e[key]]
        for i, option in enumerate(chosen or []):
            at = f"{here}/{i}" if many else here
            if not self.option(option, at, plain=plain):
                continue
            if options is not None and not any(_same_option(option, o) for o in options):
                self.err(at, "must match one of the provided options")

    def confirm(self, value: Any, ptr: str) -> None:
        c = self.obj(value, ptr)
        if c is None:
            return
        self.props(c, ptr, {"title", "text", "confirm", "deny", "style"})
        self.text(c, "title", ptr, plain=True, max_len=MAX_CONFIRM_TITLE, required=True)
        self.text(c, "text", ptr, max_len=MAX_CONFIRM_TEXT, required=True)
        self.text(c, "confirm", ptr, plain=True, max_len=MAX_CONFIRM_BUTTON, required=True)
        self.text(c, "deny", ptr, plain=True, max_len=MAX_CONFIRM_BUTTON, required=True)
        if "style" in c and c["style"] not in ("primary", "danger"):
            self.err(f"{ptr}/style", "must be a valid enum value")

    # -- views ------------------------------------------------------------------------------

    def view(self, value: Any, ptr: str) -> None:
        v = self.obj(value, ptr)
        if v is None:
            return
        kind = v.get("type")
        if kind not in ("modal", "home"):
            if kind is None:
                self.err(ptr, "missing required field: type")
            else:
                self.err(f"{ptr}/type", "must be a valid enum value")
            return
        self.surface = kind
        self.props(v, ptr, MODAL_PROPS if kind == "modal" else HOME_PROPS)
        if kind == "modal":
            self.text(v, "title", ptr, plain=True, max_len=MAX_MODAL_TITLE, required=True)
            self.text(v, "submit", ptr, plain=True, max_len=MAX_MODAL_BUTTON)
            self.text(v, "close", ptr, plain=True, max_len=MAX_MODAL_BUTTON)
            for key in ("clear_on_close", "notify_on_close"):
                self.boolean(v, key, ptr)
        self.string(v, "private_metadata", ptr, max_len=MAX_PRIVATE_METADATA)
        self.string(v, "callback_id", ptr, max_len=MAX_CALLBACK_ID)
        self.string(v, "external_id", ptr, max_len=MAX_EXTERNAL_ID)
        if "blocks" not in v:
            self.err(ptr, "missing required field: blocks")
            return
        self.blocks(v["blocks"], f"{ptr}/blocks")
        has_input = isinstance(v["blocks"], list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in v["blocks"]
        )
        if kind == "modal" and has_input and v.get("submit") is None:
            self.err(ptr, "`submit` is required when an `input` block is present")


def _same_option(a: dict[str, Any], b: dict[str, Any]) -> bool:
    text_a = a.get("text", {}).get("text") if isinstance(a.get("text"), dict) else None
    text_b = b.get("text", {}).get("text") if isinstance(b.get("text"), dict) else None
    return a.get("value") == b.get("value") and text_a == text_b
