#!/usr/bin/env python3
"""Ansible dynamic inventory for Maestro (Python standard library only).

    MAESTRO_URL=http://maestro.example:8080 MAESTRO_TOKEN=<read token> \
        ansible-inventory -i maestro_inventory.py --list

Environment:
  MAESTRO_URL     base URL of Maestro (required), e.g. http://maestro.example:8080
  MAESTRO_TOKEN   API token, sent as "Authorization: Bearer <token>" (required)
  MAESTRO_QUERY   optional query string for /api/v1/integrations/ansible, e.g.
                  "group_by=environment,tag&environment=Production&address=public"
  MAESTRO_TIMEOUT optional timeout in seconds (default 60)
"""
import json
import os
import sys
import urllib.error
import urllib.request


def fail(message):
    sys.stderr.write("maestro_inventory: %s\n" % message)
    sys.exit(1)


def inventory():
    base = os.environ.get("MAESTRO_URL", "").rstrip("/")
    token = os.environ.get("MAESTRO_TOKEN", "")
    if not base:
        fail("MAESTRO_URL is not set (the base URL of Maestro, e.g. http://maestro.example:8080)")
    if not token:
        fail("MAESTRO_TOKEN is not set (an API token of Maestro)")
    url = base + "/api/v1/integrations/ansible"
    query = os.environ.get("MAESTRO_QUERY", "").lstrip("?")
    if query:
        url += "?" + query
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=float(os.environ.get("MAESTRO_TIMEOUT", "60"))) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", "replace")
        try:
            detail = json.loads(detail).get("detail", detail)
        except ValueError:
            pass
        fail("%s answered %s: %s" % (url, e.code, detail))
    except (urllib.error.URLError, OSError, ValueError) as e:
        fail("cannot read %s: %s" % (url, e))


def main(argv):
    if len(argv) >= 2 and argv[1] == "--list":
        json.dump(inventory(), sys.stdout)
    elif len(argv) >= 3 and argv[1] == "--host":
        json.dump(inventory().get("_meta", {}).get("hostvars", {}).get(argv[2], {}), sys.stdout)
    else:
        sys.stderr.write("usage: %s --list | --host <hostname>\n" % argv[0])
        return 2
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
