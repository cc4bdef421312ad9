"""Extensions created unbound; create_app init_app's them (keeps imports acyclic)."""
from flask_jwt_extended import JWTManager
from flask_smorest import Api

api = Api()
jwt = JWTManager()
