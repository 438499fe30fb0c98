"""An upload waiting between "Check" and "Import" goes within the hour: swept by requests,
without a timer thread per check."""

from __future__ import annotations

import os
import threading
import time

from .exchange_helpers import FULL_EXPORT
from .test_transfer_views import check, upload_token


def test_a_check_starts_no_thread_and_an_expired_upload_is_gone(app, client, writer):
    before = threading.active_count()
    tokens = [upload_token(check(client, FULL_EXPORT.encode(), "n.md").text) for _ in range(3)]
    assert threading.active_count() == before

    folder = os.path.join(app.instance_path, "imports", tokens[0])
    an_hour_ago = time.time() - 3601
    os.utime(folder, (an_hour_ago, an_hour_ago))
    response = client.post("/write/import/confirm", data={"upload": tokens[0]})
    assert response.status_code == 410 and "That upload is gone" in response.text
    assert not os.path.exists(folder)
    assert client.post("/write/import/confirm", data={"upload": tokens[1]}).status_code == 303
