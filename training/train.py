"""Train the loan approval model and export it to ONNX.

This is the recipe of the shipped model, models/loan_approval_v1.onnx:
the features age, income, credit_score, employment_years and
loan_amount of data/loans.csv; an 80/20 stratified split
(random_state=0); a StandardScaler and a 120-tree GradientBoostingClassifier
(max_depth=3, learning_rate=0.1, random_state=0); exported with skl2onnx
for an input "float_input" of shape [None, 5] at opsets ai.onnx 15 and
ai.onnx.ml 1.

    pip install -r training/requirements.txt
    python training/train.py                 # writes models/loan_approval_v1.onnx
    python training/train.py --no-export     # trains and reports metrics only

It prints the test metrics, which models/loan_approval_v1.metrics.json
records for the shipped model.
"""

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

FEATURES = ["age", "income", "credit_score", "employment_years", "loan_amount"]
TARGET = "approved"
ROOT = Path(__file__).resolve().parent.parent


def train(data: Path):
    df = pd.read_csv(data)
    X = df[FEATURES].to_numpy(dtype=np.float64)
    y = df[TARGET].to_numpy()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, random_state=0, stratify=y
    )
    model = Pipeline(
        [
            ("scaler", StandardScaler()),
            (
                "gbm",
                GradientBoostingClassifier(
                    n_estimators=120, max_depth=3, learning_rate=0.1, random_state=0
                ),
            ),
        ]
    )
    model.fit(X_train, y_train)
    metrics = {
        "rows_train": int(len(X_train)),
        "rows_test": int(len(X_test)),
        "approval_rate": float(y.mean()),
        "test_accuracy": float(accuracy_score(y_test, model.predict(X_test))),
        "test_roc_auc": float(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])),
    }
    return model, metrics


def export(model, path: Path):
    # Imported here so that training runs where skl2onnx is not installed.
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType

    onx = to_onnx(
        model,
        initial_types=[("float_input", FloatTensorType([None, len(FEATURES)]))],
        target_opset={"": 15, "ai.onnx.ml": 1},
    )
    path.write_bytes(onx.SerializeToString())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=ROOT / "data" / "loans.csv")
    p.add_argument("--out", type=Path, default=ROOT / "models" / "loan_approval_v1.onnx")
    p.add_argument("--no-export", action="store_true", help="train and report metrics only")
    args = p.parse_args()
    model, metrics = train(args.data)
    print(json.dumps(metrics, indent=2))
    if not args.no_export:
        export(model, args.out)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
