package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// A knownRow is a request whose label the reference (onnxruntime, and
// scikit-learn) is sure of: every peer that predicts must answer it with
// that label before it is timed, so nobody benchmarks an error path.
type knownRow struct {
	index int    // row of the expected file
	body  string // JSON request body
	label string // "approved" or "denied"
}

// labelNames maps the loan model's classes to the API's labels.
var labelNames = map[int]string{0: "denied", 1: "approved"}

// knownRows picks perClass rows of each class from the model's expected
// outputs (shared/models/loan_approval_v1.expected.json) whose winning
// probability is at least margin, so that float32 and float64 evaluations
// agree on them. The first row is the file's first confident row.
func knownRows(expected []byte, perClass int, margin float64) ([]knownRow, error) {
	var e struct {
		Features      []string
		Classes       []int
		Inputs        [][]float64
		Label         []int
		Probabilities [][]float64
	}
	if err := json.Unmarshal(expected, &e); err != nil {
		return nil, fmt.Errorf("expected outputs: %w", err)
	}
	if strings.Join(e.Features, ",") != strings.Join(features, ",") {
		return nil, fmt.Errorf("expected outputs: features %q; want %q", e.Features, features)
	}
	if len(e.Inputs) != len(e.Label) || len(e.Inputs) != len(e.Probabilities) {
		return nil, fmt.Errorf("expected outputs: %d inputs, %d labels, %d probability rows",
			len(e.Inputs), len(e.Label), len(e.Probabilities))
	}
	count := map[int]int{}
	var rows []knownRow
	for i, in := range e.Inputs {
		name, ok := labelNames[e.Label[i]]
		if !ok {
			return nil, fmt.Errorf("expected outputs: row %d: unknown label %d", i, e.Label[i])
		}
		if len(in) != len(features) || len(e.Probabilities[i]) != 2 {
			return nil, fmt.Errorf("expected outputs: row %d: %d features, %d probabilities", i, len(in), len(e.Probabilities[i]))
		}
		if count[e.Label[i]] == perClass || max(e.Probabilities[i][0], e.Probabilities[i][1]) < margin {
			continue
		}
		count[e.Label[i]]++
		var b strings.Builder
		b.WriteByte('{')
		for j, f := range features {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q:%s", f, strconv.FormatFloat(in[j], 'f', -1, 64))
		}
		b.WriteByte('}')
		rows = append(rows, knownRow{index: i, body: b.String(), label: name})
	}
	for class, name := range labelNames {
		if count[class] < perClass {
			return nil, fmt.Errorf("expected outputs: only %d confident %q rows; want %d", count[class], name, perClass)
		}
	}
	return rows, nil
}

// verification is what a peer answered to the known rows.
type verification struct {
	firstReply []byte // the reply to the first known row
	checked    int    // rows whose label was checked
}

// verify POSTs every known row to url and checks each reply: 200, JSON, and,
// for a peer that predicts, the row's label. A constant peer must answer every
// row with the same reply, which must carry the first row's label.
func verify(ctx context.Context, client *http.Client, url string, rows []knownRow, constant bool) (verification, error) {
	var v verification
	for i, row := range rows {
		reply, err := post(ctx, client, url, row.body)
		if err != nil {
			return v, fmt.Errorf("row %d: %w", row.index, err)
		}
		label, err := replyLabel(reply)
		if err != nil {
			return v, fmt.Errorf("row %d: %w", row.index, err)
		}
		if i == 0 {
			v.firstReply = reply
		}
		if constant {
			if !bytes.Equal(reply, v.firstReply) {
				return v, fmt.Errorf("row %d: a constant peer changed its reply: %s", row.index, reply)
			}
			if i > 0 {
				continue
			}
		}
		if label != row.label {
			return v, fmt.Errorf("row %d %s: prediction %q; want %q (reply %s)", row.index, row.body, label, row.label, reply)
		}
		v.checked++
	}
	return v, nil
}

func post(ctx context.Context, client *http.Client, url, body string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, reply)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return nil, fmt.Errorf("Content-Type %q; want application/json", resp.Header.Get("Content-Type"))
	}
	return reply, nil
}

// replyLabel returns the "prediction" of a predict reply.
func replyLabel(reply []byte) (string, error) {
	var r struct {
		Prediction *string `json:"prediction"`
	}
	if err := json.Unmarshal(reply, &r); err != nil {
		return "", fmt.Errorf("reply is not a JSON object: %w: %s", err, reply)
	}
	if r.Prediction == nil {
		return "", fmt.Errorf("reply has no prediction: %s", reply)
	}
	return *r.Prediction, nil
}

// waitReady polls GET url until it answers 200 with a body that says
// "healthy", and returns how long that took since start. It gives up when
// the server exits, or after timeout.
func waitReady(ctx context.Context, client *http.Client, url string, start time.Time, exited <-chan struct{}, timeout time.Duration) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, err
		}
		resp, err := client.Do(req)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte(`"healthy"`)) {
				return time.Since(start), nil
			}
			last = fmt.Errorf("status %d: %s", resp.StatusCode, body)
		} else {
			last = err
		}
		select {
		case <-exited:
			return 0, errors.New("server exited before it was ready")
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return 0, fmt.Errorf("not ready after %v: last answer: %v", timeout, last)
			}
			return 0, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}
