package main

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// The flag.Value types of the server's settings; each also takes the
// value of its environment variable.

// listValue is a repeatable flag. Values from the environment are
// replaced, not extended, by the first value on the command line.
type listValue struct {
	vals    []string
	fromEnv bool
}

func (l *listValue) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(l.vals, ",")
}

func (l *listValue) Set(s string) error {
	if l.fromEnv {
		l.vals, l.fromEnv = nil, false
	}
	l.vals = append(l.vals, s)
	return nil
}

// setEnv sets the list from a comma-separated environment value.
func (l *listValue) setEnv(s string) {
	l.vals = nil
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			l.vals = append(l.vals, v)
		}
	}
	l.fromEnv = true
}

// positiveInt is an int flag that must be above zero.
type positiveInt struct{ v *int64 }

func (p positiveInt) String() string {
	if p.v == nil {
		return "0"
	}
	return strconv.FormatInt(*p.v, 10)
}

func (p positiveInt) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return errors.New("must be a positive integer")
	}
	*p.v = n
	return nil
}

// nonNegativeDuration is a duration flag that must not be negative.
type nonNegativeDuration struct{ v *time.Duration }

func (d nonNegativeDuration) String() string {
	if d.v == nil {
		return "0s"
	}
	return d.v.String()
}

func (d nonNegativeDuration) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return errors.New("must be a duration such as 10s or 1m30s")
	}
	*d.v = v
	return nil
}

// stringVar is a string flag that must not be empty.
type stringVar struct{ v *string }

func (s stringVar) String() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

func (s stringVar) Set(v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	*s.v = v
	return nil
}

// optionalString is a string flag that may be empty (off).
type optionalString struct{ v *string }

func (s optionalString) String() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

func (s optionalString) Set(v string) error {
	*s.v = v
	return nil
}

// boolVar is a boolean flag that also takes 1/0, yes/no and on/off.
type boolVar struct{ v *bool }

func (b boolVar) String() string {
	if b.v == nil || !*b.v {
		return "false"
	}
	return "true"
}

func (b boolVar) Set(s string) error {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		*b.v = true
	case "0", "false", "no", "off":
		*b.v = false
	default:
		return errors.New("must be true or false")
	}
	return nil
}

// IsBoolFlag lets the flag be given without a value.
func (b boolVar) IsBoolFlag() bool { return true }

// levelVar is a log level flag: debug, info, warn or error.
type levelVar struct{ v *slog.Level }

func (l levelVar) String() string {
	if l.v == nil {
		return "info"
	}
	return strings.ToLower(l.v.String())
}

func (l levelVar) Set(s string) error {
	switch strings.ToLower(s) {
	case "debug", "info", "warn", "error":
		return l.v.UnmarshalText([]byte(s))
	}
	return errors.New("must be debug, info, warn or error")
}

// choiceVar is a string flag with a fixed set of values.
type choiceVar struct {
	v       *string
	choices []string
}

func (c choiceVar) String() string {
	if c.v == nil {
		return ""
	}
	return *c.v
}

func (c choiceVar) Set(s string) error {
	for _, ch := range c.choices {
		if s == ch {
			*c.v = s
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(c.choices, ", "))
}
