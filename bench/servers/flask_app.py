"""The tutorial's system in Flask: a core greeting and a blueprint mounted at /blueprint.

python3 flask_app.py runs the development server as the tutorial did (debug=True);
gunicorn -b 127.0.0.1:$PORT flask_app:app runs the same app under gunicorn.
"""
import os

from flask import Blueprint, Flask

bp = Blueprint("simple_flask_blueprint", __name__)


@bp.route("/")
def say_hallo_service():
    return "Hallo!"


@bp.route("/<name>/")
def say_hallo_to_guest_service(name):
    return "Hallo " + name + "!"


app = Flask(__name__)
app.register_blueprint(bp, url_prefix="/blueprint")


@app.route("/")
def hallo():
    return "Hallo from CORE!"


@app.route("/<name>/")
def hallo_name(name):
    return "Hallo " + name + " from CORE!"


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), debug=True)
