# The seed tutorial's "Complete Flask ML API"
# (shared/seed/building-apis-with-flask.txt), as written there, with the two
# changes it needs to run under gunicorn:
#   1. the model path comes from MODEL_PATH (the tutorial hard-codes
#      "models/model_v1.joblib"; the benchmark passes
#      shared/models/loan_approval_v1.joblib);
#   2. load_model() runs at import: the tutorial calls it only under
#      `if __name__ == "__main__"`, which gunicorn never runs, so every
#      prediction would be a 503 "Model not loaded".
# Run: MODEL_PATH=... gunicorn -w 2 -k sync -b 127.0.0.1:8000 flask_app:app
import os

from flask import Flask, request, jsonify
from flask_cors import CORS
from datetime import datetime
import joblib
import numpy as np

# --- App Setup ---
app = Flask(__name__)
CORS(app, origins=["http://localhost:3000"])

# --- Model Loading ---
model = None
model_version = "unknown"


def load_model():
    global model, model_version
    model = joblib.load(os.environ.get("MODEL_PATH", "models/model_v1.joblib"))
    model_version = "v1.0"


# --- Routes ---
@app.route("/health", methods=["GET"])
def health():
    return jsonify({
        "status": "healthy" if model else "degraded",
        "model_version": model_version,
    })


@app.route("/api/v1/predict", methods=["POST"])
def predict():
    data = request.get_json()
    if not data:
        return jsonify({"error": "JSON body required"}), 400
    required = ["age", "income", "credit_score",
                "employment_years", "loan_amount"]
    missing = [f for f in required if f not in data]
    if missing:
        return jsonify({"error": "Missing fields", "fields": missing}), 422
    try:
        features = np.array([[
            int(data["age"]),
            float(data["income"]),
            int(data["credit_score"]),
            float(data["employment_years"]),
            float(data["loan_amount"]),
        ]])
    except (ValueError, TypeError) as e:
        return jsonify({"error": f"Invalid data: {str(e)}"}), 422
    if model is None:
        return jsonify({"error": "Model not loaded"}), 503
    try:
        pred = model.predict(features)[0]
        proba = model.predict_proba(features)[0]
        return jsonify({
            "prediction": "approved" if pred == 1 else "denied",
            "probability": round(float(max(proba)), 4),
            "model_version": model_version,
            "timestamp": datetime.utcnow().isoformat(),
        })
    except Exception as e:
        return jsonify({"error": f"Prediction failed: {str(e)}"}), 500


load_model()  # change 2: at import, so that every gunicorn worker has the model

# --- Startup ---
if __name__ == "__main__":
    app.run(debug=True, host="0.0.0.0", port=5000)
