package server_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/metrics"
	"github.com/tabserve/tabserve/internal/server"
)

const loanValid = `{"age": 35, "income": 55000, "credit_score": 720, "employment_years": 5.5, "loan_amount": 25000}`

var loanFields = []string{"age", "income", "credit_score", "employment_years", "loan_amount"}

// loanWith returns the valid loan request with field set to the raw JSON
// value v, or without it when v is "".
func loanWith(field, v string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(loanValid), &m); err != nil {
		panic(err)
	}
	var parts []string
	for _, k := range loanFields {
		val := string(m[k])
		if k == field {
			val = v
		}
		if val != "" {
			parts = append(parts, fmt.Sprintf("%q: %s", k, val))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func fieldErrors(pairs ...string) string {
	var errs []string
	for i := 0; i < len(pairs); i += 2 {
		errs = append(errs, fmt.Sprintf(`{"field": %q, "message": %q}`, pairs[i], pairs[i+1]))
	}
	return `{"error_code": "VALIDATION_ERROR", "message": "Request validation failed", "errors": [` + strings.Join(errs, ", ") + `]}`
}

// TestValidation sends every validation rule of the loan manifest through
// POST /api/v1/predict.
func TestValidation(t *testing.T) {
	type test struct {
		name, body string
		status     int
		want       string // the JSON error body, for a 4xx
	}
	tests := []test{
		{"valid", loanValid, 200, ""},
		{"numeric strings", `{"age": "35", "income": "55000.5", "credit_score": "720", "employment_years": "5.5", "loan_amount": "25000"}`, 200, ""},
		{"integral float for integer", loanWith("age", "42.0"), 200, ""},
		{"integral numeric string", loanWith("credit_score", `"700.0"`), 200, ""},
		{"extra fields ignored", `{"name": "Ann", "tags": [1, {"x": null}], ` + loanValid[1:], 200, ""},
		{"empty object", `{}`, 422, fieldErrors("age", "field is required", "income", "field is required",
			"credit_score", "field is required", "employment_years", "field is required", "loan_amount", "field is required")},
		{"all wrong, in feature order", `{"loan_amount": null, "employment_years": [], "credit_score": 299.5, "income": true, "age": "old"}`, 422,
			fieldErrors("age", "must be an integer", "income", "must be a number", "credit_score", "must be an integer",
				"employment_years", "must be a number", "loan_amount", "must be a number")},
		{"duplicate field", `{"age": 35, ` + loanValid[1:], 422, fieldErrors("age", "field is given more than once")},
		{"keys are case-sensitive", loanWith("age", "") + "", 422, fieldErrors("age", "field is required")},
		{"Age is not age", `{"Age": 35, ` + loanWith("age", "")[1:], 422, fieldErrors("age", "field is required")},
		{"fractional integer", loanWith("age", "42.5"), 422, fieldErrors("age", "must be an integer")},
		{"fractional integer string", loanWith("age", `"42.5"`), 422, fieldErrors("age", "must be an integer")},
		{"NaN string", loanWith("income", `"NaN"`), 422, fieldErrors("income", "must be a finite number")},
		{"Infinity string", loanWith("income", `"Infinity"`), 422, fieldErrors("income", "must be a finite number")},
		{"-Infinity string", loanWith("loan_amount", `"-Infinity"`), 422, fieldErrors("loan_amount", "must be a finite number")},
		{"1e400", loanWith("income", "1e400"), 422, fieldErrors("income", "must be a finite number")},
		{"1e400 string", loanWith("income", `"1e400"`), 422, fieldErrors("income", `must be in plain decimal notation when given as a string, such as "720"`)},
		{"exponent string", loanWith("credit_score", `"7.2e2"`), 422, fieldErrors("credit_score", `must be in plain decimal notation when given as a string, such as "720"`)},
		{"numeric string checked as written", loanWith("age", `"120.0000000000000000001"`), 422, fieldErrors("age", "must be an integer")},
		{"beyond float32", loanWith("loan_amount", "1e39"), 422, fieldErrors("loan_amount", "must be at most 3.4028234663852886e+38 in magnitude")},
		{"non-numeric string", loanWith("income", `"much"`), 422, fieldErrors("income", "must be a number")},
		{"empty string", loanWith("income", `""`), 422, fieldErrors("income", "must be a number")},
		{"NaN literal", loanWith("income", "NaN"), 400, ""},
		{"empty body", "", 400, `{"error_code": "BAD_REQUEST", "message": "empty request body (at byte 0)"}`},
		{"null body", "null", 400, `{"error_code": "BAD_REQUEST", "message": "request body must be a JSON object (at byte 0)"}`},
		{"array body", "[" + loanValid + "]", 400, `{"error_code": "BAD_REQUEST", "message": "request body must be a JSON object (at byte 0)"}`},
		{"string body", `"age"`, 400, `{"error_code": "BAD_REQUEST", "message": "request body must be a JSON object (at byte 0)"}`},
		{"malformed", `{"age": 35`, 400, `{"error_code": "BAD_REQUEST", "message": "expected ',' or '}' in object (at byte 10)"}`},
		{"trailing data", loanValid + "\n{}", 400, fmt.Sprintf(`{"error_code": "BAD_REQUEST", "message": "trailing data after the JSON value (at byte %d)"}`, len(loanValid)+1)},
	}
	for _, field := range loanFields {
		tests = append(tests, test{"missing " + field, loanWith(field, ""), 422, fieldErrors(field, "field is required")})
		for _, v := range []string{"null", "true", "false", "[]", "[35]", "{}", `{"v": 35}`} {
			msg := "must be a number"
			if field == "age" || field == "credit_score" {
				msg = "must be an integer"
			}
			tests = append(tests, test{field + " " + v, loanWith(field, v), 422, fieldErrors(field, msg)})
		}
	}
	bounds := []struct {
		field           string
		min, max        string
		belowMin, above string
	}{
		{"age", "18", "120", "17", "121"},
		{"credit_score", "300", "850", "299", "851"},
		{"income", "0", "", "-0.01", ""},
		{"employment_years", "0", "", "-0.1", ""},
		{"loan_amount", "0", "", "-1", ""},
	}
	for _, b := range bounds {
		tests = append(tests,
			test{b.field + " at minimum " + b.min, loanWith(b.field, b.min), 200, ""},
			test{b.field + " at minimum, as a string", loanWith(b.field, `"`+b.min+`"`), 200, ""},
			test{b.field + " just below minimum", loanWith(b.field, b.belowMin), 422, fieldErrors(b.field, "must be >= "+b.min)},
			test{b.field + " just below minimum, as a string", loanWith(b.field, `"`+b.belowMin+`"`), 422, fieldErrors(b.field, "must be >= "+b.min)})
		if b.max != "" {
			tests = append(tests,
				test{b.field + " at maximum " + b.max, loanWith(b.field, b.max), 200, ""},
				test{b.field + " just above maximum", loanWith(b.field, b.above), 422, fieldErrors(b.field, "must be <= "+b.max)})
		} else {
			tests = append(tests, test{b.field + " large", loanWith(b.field, "1e30"), 200, ""})
		}
	}
	ts := start(t, server.Config{}, loan5(t))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ts.do(t, request{method: "POST", path: "/api/v1/predict", body: tt.body,
				header: map[string]string{"Content-Type": "application/json"}})
			if resp.status != tt.status {
				t.Fatalf("POST %s = %d %s; want %d", tt.body, resp.status, resp.body, tt.status)
			}
			if tt.want != "" && !jsonEq(t, resp.body, tt.want) {
				t.Errorf("POST %s = %s; want %s", tt.body, resp.body, tt.want)
			}
			if tt.status == 200 {
				if got := decode(t, resp.body); got["prediction"] == nil || got["probabilities"] == nil {
					t.Errorf("POST %s = %s; want a prediction", tt.body, resp.body)
				}
			}
		})
	}
}

// TestDeclaredLengthNotTrusted sends a request whose Content-Length claims
// 64 MiB, within the configured limit, but whose body is short: the server
// must not set 64 MiB aside on the client's word.
func TestDeclaredLengthNotTrusted(t *testing.T) {
	const claimed = 64 << 20
	cat, err := catalog.New(loan)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	h := server.New(server.Config{MaxBodyBytes: 2 * claimed}, slog.New(slog.DiscardHandler), cat, metrics.New(reg), reg)
	req := httptest.NewRequest("POST", "/api/v1/predict", strings.NewReader(loanValid))
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = claimed
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	runtime.ReadMemStats(&after)
	if w.Code != http.StatusOK {
		t.Fatalf("POST /api/v1/predict = %d %s; want 200", w.Code, w.Body)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > claimed/8 {
		t.Errorf("POST /api/v1/predict with Content-Length %d allocated %d bytes; want far fewer", claimed, n)
	}
}
