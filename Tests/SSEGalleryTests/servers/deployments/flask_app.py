"""A Flask stream served by gunicorn's default sync worker, for the gallery's "deployments" part.

    gunicorn --bind 127.0.0.1:PORT --workers 1 flask_app:app

One sync worker serves one request at a time: a second client waits until the first hangs up. Browsers do not
hang up, so several EventSources on this deployment get events one at a time.
"""

import itertools
import time

from flask import Flask, Response

app = Flask(__name__)


@app.get("/events")
def events():
    def generate():
        for n in itertools.count(1):
            yield f"id: {n}\ndata: tick {n}\n\n"
            time.sleep(0.1)

    return Response(generate(), mimetype="text/event-stream", headers={"Cache-Control": "no-cache"})
