"""A botocore data loader for the one DynamoDB client: the same files, read without botocore's two slow habits."""

import json
import os

from botocore import loaders


class _PlainJSONFiles(loaders.JSONFileLoader):
    """botocore decodes every model file into OrderedDicts (a Python call per JSON object); the 1.2 MB endpoints
    file and DynamoDB's model then take ~75 ms of a cold start. Plain dicts keep the same order (Python 3.7+)
    and decode in C: about half the time, and botocore only reads these, never reorders them."""

    def _load_file(self, full_path, open_method):
        if not os.path.isfile(full_path):
            return None
        with open_method(full_path, "rb") as handle:
            return json.loads(handle.read())


class DynamoDBOnlyLoader(loaders.Loader):
    """botocore checks a service name by listing every service directory it ships (~400 listdir calls, ~30 ms)
    before loading any model; the shared session only ever builds a DynamoDB client, so that is the one listed.
    Files are still looked up in botocore's own search path (AWS_DATA_PATH, ~/.aws/models, the installed data),
    so the runtime's botocore version decides what is read."""

    SERVICES = ("dynamodb",)

    def list_available_services(self, type_name):
        return list(self.SERVICES)


def install(session):
    """Give a fresh botocore session the quick loader (before it builds any client)."""
    data_path = session.get_config_variable("data_path")
    extra = [os.path.expanduser(os.path.expandvars(p)) for p in data_path.split(os.pathsep)] if data_path else None
    session.register_component(
        "data_loader", DynamoDBOnlyLoader(extra_search_paths=extra, file_loader=_PlainJSONFiles())
    )
    return session
