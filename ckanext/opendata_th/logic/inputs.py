"""Input and refusals shared by the actions: CKAN's validation of a
``data_dict`` by a schema, and the playbook's messages as a
ValidationError (HTTP 409) in the request's language."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk


from ckanext.opendata_th import localize
from ckanext.opendata_th.playbook.messages import Message

DataDict = dict[str, Any]


def refused(errors: dict[str, list[Message]]) -> tk.ValidationError:
    """A ValidationError (HTTP 409) with each message in the request's language."""
    return tk.ValidationError({path: [localize.text(message) for message in messages]
                               for path, messages in errors.items()})


def validated(data_dict: DataDict, schema: dict[str, Any], context: dict[str, Any],
              leave: Iterable[str] = ()) -> DataDict:
    """``data_dict`` validated by ``schema``; the keys in ``leave`` (checked
    by the playbook's rules, not by CKAN's validators) are passed as given."""
    left = set(leave)
    data, errors = tk.navl_validate({k: v for k, v in data_dict.items() if k not in left},
                                    schema, context)
    if errors:
        raise tk.ValidationError(errors)
    data.update({k: data_dict[k] for k in left if k in data_dict})
    return data
