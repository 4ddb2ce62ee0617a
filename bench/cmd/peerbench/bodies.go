package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// features are the loan model's inputs, in order: the request body's keys.
var features = []string{"age", "income", "credit_score", "employment_years", "loan_amount"}

// csvBodies turns the rows of a CSV file with a header (loans.csv) into JSON
// request bodies holding the named columns, one body per row, at most limit
// rows (0 for all). Values are copied as they are written, so each must be a
// JSON number.
func csvBodies(r io.Reader, columns []string, limit int) ([]string, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	idx := make([]int, len(columns))
	for i, c := range columns {
		idx[i] = -1
		for j, h := range header {
			if strings.TrimSpace(h) == c {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return nil, fmt.Errorf("no column %q in header %q", c, header)
		}
	}
	var bodies []string
	var b strings.Builder
	for limit == 0 || len(bodies) < limit {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		b.Reset()
		b.WriteByte('{')
		for i, c := range columns {
			v := strings.TrimSpace(rec[idx[i]])
			if !isJSONNumber(v) {
				return nil, fmt.Errorf("line %d: column %s: %q is not a JSON number", line, c, v)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q:%s", c, v)
		}
		b.WriteByte('}')
		bodies = append(bodies, b.String())
	}
	if len(bodies) == 0 {
		return nil, errors.New("no rows")
	}
	return bodies, nil
}

// isJSONNumber reports whether s is exactly one finite JSON number.
func isJSONNumber(s string) bool {
	if s == "" || !json.Valid([]byte(s)) {
		return false
	}
	if c := s[0]; c != '-' && (c < '0' || c > '9') {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil // out of range (1e400) fails here
}
