# The seed tutorial's FastAPI version of the loan API
# (shared/seed/building-apis-with-flask.txt, "Side-by-Side: Flask vs FastAPI"):
# a pydantic model for the 5 features with the tutorial's ranges, a sync
# `def predict` (FastAPI runs it in its thread pool), and the same response
# as the Flask app. The model path comes from MODEL_PATH.
# Run: MODEL_PATH=... uvicorn fastapi_app:app --host 127.0.0.1 --port 8000
import os
from datetime import datetime

import joblib
import numpy as np
from fastapi import FastAPI
from pydantic import BaseModel, Field


class PredictionInput(BaseModel):
    age: int = Field(..., ge=18, le=120, description="Applicant age")
    income: float = Field(..., ge=0, description="Annual income")
    credit_score: int = Field(..., ge=300, le=850, description="FICO score")
    employment_years: float = Field(..., ge=0, description="Years employed")
    loan_amount: float = Field(..., ge=0, description="Loan amount")


class PredictionOutput(BaseModel):
    prediction: str
    probability: float
    model_version: str
    timestamp: datetime


class MLService:
    def __init__(self, model_path: str):
        self.model = joblib.load(model_path)
        self.version = "v1.0"

    def predict(self, features: dict) -> dict:
        arr = np.array([[
            features["age"],
            features["income"],
            features["credit_score"],
            features["employment_years"],
            features["loan_amount"],
        ]])
        prediction = self.model.predict(arr)[0]
        probabilities = self.model.predict_proba(arr)[0]
        return {
            "prediction": "approved" if prediction == 1 else "denied",
            "probability": round(float(max(probabilities)), 4),
            "model_version": self.version,
            "timestamp": datetime.utcnow(),
        }


app = FastAPI(title="ML Prediction API")
ml_service = MLService(os.environ.get("MODEL_PATH", "models/model_v1.joblib"))


@app.get("/health")
def health():
    return {
        "status": "healthy" if ml_service.model else "degraded",
        "model_version": ml_service.version,
    }


@app.post("/api/v1/predict", response_model=PredictionOutput)
def predict(data: PredictionInput):
    result = ml_service.predict(data.dict())
    return result
