package main

import (
	"strings"
	"testing"
)

func TestCSVBodies(t *testing.T) {
	cols := []string{"age", "income"}
	tests := []struct {
		name    string
		csv     string
		limit   int
		want    []string
		wantErr string
	}{
		{
			name:  "rows in order, other columns dropped",
			csv:   "age,income,approved\n37,42792.9,0\n35,71444.84,1\n",
			want:  []string{`{"age":37,"income":42792.9}`, `{"age":35,"income":71444.84}`},
			limit: 0,
		},
		{
			name: "columns reordered, spaces trimmed",
			csv:  "income, age\n 1.5 ,20\n",
			want: []string{`{"age":20,"income":1.5}`},
		},
		{
			name:  "limit",
			csv:   "age,income\n1,2\n3,4\n5,6\n",
			limit: 2,
			want:  []string{`{"age":1,"income":2}`, `{"age":3,"income":4}`},
		},
		{name: "exponent and negative", csv: "age,income\n-1,2.5e3\n", want: []string{`{"age":-1,"income":2.5e3}`}},
		{name: "missing column", csv: "age\n1\n", wantErr: `no column "income"`},
		{name: "empty value", csv: "age,income\n1,\n", wantErr: `line 2: column income: "" is not a JSON number`},
		{name: "not a number", csv: "age,income\n1,abc\n", wantErr: "not a JSON number"},
		{name: "NaN", csv: "age,income\n1,NaN\n", wantErr: "not a JSON number"},
		{name: "leading plus", csv: "age,income\n1,+2\n", wantErr: "not a JSON number"},
		{name: "leading dot", csv: "age,income\n1,.5\n", wantErr: "not a JSON number"},
		{name: "out of range", csv: "age,income\n1,1e400\n", wantErr: "not a JSON number"},
		{name: "injection", csv: "age,income\n\"1,\"\"x\"\":2\",3\n", wantErr: "not a JSON number"},
		{name: "header only", csv: "age,income\n", wantErr: "no rows"},
		{name: "empty file", csv: "", wantErr: "read header"},
		{name: "ragged row", csv: "age,income\n1,2,3\n", wantErr: "wrong number of fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := csvBodies(strings.NewReader(tt.csv), cols, tt.limit)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("csvBodies(%q) error = %v; want one containing %q", tt.csv, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("csvBodies(%q) error: %v", tt.csv, err)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("csvBodies(%q) = %q; want %q", tt.csv, got, tt.want)
			}
		})
	}
}
