package oip

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// maxNesting bounds how deeply arrays and objects may nest in a request
// body; it is encoding/json's bound, which the decoder used to rely on.
const maxNesting = 10000

// A scanner reads JSON text (RFC 8259) held in a byte slice. Each method
// reads one piece of JSON starting at b[i] and leaves i just past it. It
// checks syntax as encoding/json does and words a syntax error as
// encoding/json does ("invalid character 'x' after array element", or
// io.ErrUnexpectedEOF when the text ends inside a value), so clients get
// the messages they got when requests were decoded with encoding/json.
// Methods that read a value skip the space before it.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) skipSpace() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// syntaxError reports the byte at i, or the end of the text, as
// unexpected; context says what the scanner was reading.
func (s *scanner) syntaxError(context string) error {
	if s.i >= len(s.b) {
		return io.ErrUnexpectedEOF
	}
	return fmt.Errorf("invalid character %s %s", quoteChar(s.b[s.i]), context)
}

// quoteChar formats c the way encoding/json's syntax errors do.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	q := strconv.Quote(string(rune(c)))
	return "'" + q[1:len(q)-1] + "'"
}

// valueStart skips space and returns the first byte of the value there.
func (s *scanner) valueStart() (byte, error) {
	s.skipSpace()
	if s.i >= len(s.b) {
		return 0, io.ErrUnexpectedEOF
	}
	return s.b[s.i], nil
}

// object reads the object at i, which is nested in depth arrays and
// objects. For each member it calls member with the key, unquoted, and i
// at the member's value, which member must read.
func (s *scanner) object(depth int, member func(key []byte) error) error {
	if depth >= maxNesting {
		return s.syntaxError("exceeded max depth")
	}
	s.i++ // '{'
	s.skipSpace()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return nil
	}
	for {
		key, err := s.key()
		if err != nil {
			return err
		}
		if err := member(unquote(key)); err != nil {
			return err
		}
		if end, err := s.next('}'); end || err != nil {
			return err
		}
	}
}

// array reads the array at i, which is nested in depth arrays and
// objects, calling elem with i at each element, which elem must read.
func (s *scanner) array(depth int, elem func() error) error {
	if depth >= maxNesting {
		return s.syntaxError("exceeded max depth")
	}
	s.i++ // '['
	s.skipSpace()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		if end, err := s.next(']'); end || err != nil {
			return err
		}
	}
}

// key reads an object's key and the colon after it, and returns the key
// as written, quotes included.
func (s *scanner) key() ([]byte, error) {
	s.skipSpace()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, s.syntaxError("looking for beginning of object key string")
	}
	key, err := s.str()
	if err != nil {
		return nil, err
	}
	s.skipSpace()
	if s.i >= len(s.b) || s.b[s.i] != ':' {
		return nil, s.syntaxError("after object key")
	}
	s.i++
	return key, nil
}

// next reads what follows an element of an array (closer ']') or a
// member of an object (closer '}'): a comma, or closer, which ends the
// container.
func (s *scanner) next(closer byte) (end bool, err error) {
	s.skipSpace()
	if s.i < len(s.b) {
		switch s.b[s.i] {
		case ',':
			s.i++
			return false, nil
		case closer:
			s.i++
			return true, nil
		}
	}
	if closer == '}' {
		return false, s.syntaxError("after object key:value pair")
	}
	return false, s.syntaxError("after array element")
}

// skip reads a value of any kind, nested in depth arrays and objects,
// checking it and keeping nothing. It keeps its own stack rather than
// recursing, so deep nesting costs no goroutine stack.
func (s *scanner) skip(depth int) error {
	// open holds the closing byte of each array or object skip is in.
	var buf [32]byte
	open := buf[:0]
	for {
		c, err := s.valueStart()
		if err != nil {
			return err
		}
		if c == '[' || c == '{' {
			if depth+len(open) >= maxNesting {
				return s.syntaxError("exceeded max depth")
			}
			closer := byte(']')
			if c == '{' {
				closer = '}'
			}
			s.i++
			s.skipSpace()
			if s.i >= len(s.b) || s.b[s.i] != closer {
				open = append(open, closer)
				if closer == '}' {
					if _, err := s.key(); err != nil {
						return err
					}
				}
				continue // to the first element or member's value
			}
			s.i++ // an empty array or object
		} else if err := s.scalar(); err != nil {
			return err
		}
		// A value ended: close the containers it ends, and go on to the
		// next element or member of the innermost one left open.
		for {
			if len(open) == 0 {
				return nil
			}
			closer := open[len(open)-1]
			end, err := s.next(closer)
			if err != nil {
				return err
			}
			if !end {
				if closer == '}' {
					if _, err := s.key(); err != nil {
						return err
					}
				}
				break
			}
			open = open[:len(open)-1]
		}
	}
}

// scalar reads the string, number or literal at i.
func (s *scanner) scalar() error {
	switch c := s.b[s.i]; {
	case c == '"':
		_, err := s.str()
		return err
	case c == '-' || isDigit(c):
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return s.syntaxError("looking for beginning of value")
}

// str reads the string at i and returns it as written, quotes included.
func (s *scanner) str() ([]byte, error) {
	start := s.i
	s.i++ // '"'
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return s.b[start:s.i], nil
		case c == '\\':
			s.i++
			if err := s.escape(); err != nil {
				return nil, err
			}
		case c < 0x20:
			return nil, s.syntaxError("in string literal")
		default:
			s.i++
		}
	}
	return nil, io.ErrUnexpectedEOF
}

// escape reads what follows a backslash in a string.
func (s *scanner) escape() error {
	if s.i >= len(s.b) {
		return io.ErrUnexpectedEOF
	}
	switch s.b[s.i] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.i++
		return nil
	case 'u':
		s.i++
		for range 4 {
			if s.i >= len(s.b) || !isHex(s.b[s.i]) {
				return s.syntaxError(`in \u hexadecimal character escape`)
			}
			s.i++
		}
		return nil
	}
	return s.syntaxError("in string escape code")
}

// number reads the number at i, which starts with '-' or a digit.
func (s *scanner) number() error {
	if s.b[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.b) && s.b[s.i] == '0':
		s.i++
	case !s.digits():
		return s.syntaxError("in numeric literal")
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if !s.digits() {
			return s.syntaxError("after decimal point in numeric literal")
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if !s.digits() {
			return s.syntaxError("in exponent of numeric literal")
		}
	}
	return nil
}

// digits reads a run of decimal digits and reports whether there was one.
func (s *scanner) digits() bool {
	start := s.i
	for s.i < len(s.b) && isDigit(s.b[s.i]) {
		s.i++
	}
	return s.i > start
}

// literal reads word (true, false or null), whose first byte is at i.
func (s *scanner) literal(word string) error {
	for k := 1; k < len(word); k++ {
		s.i++
		if s.i >= len(s.b) || s.b[s.i] != word[k] {
			return s.syntaxError(fmt.Sprintf("in literal %s (expecting %q)", word, word[k]))
		}
	}
	s.i++
	return nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unquote returns the text of a string the scanner has read, given as
// written (quotes included), decoded as encoding/json decodes it: escapes
// resolved, and each byte of invalid UTF-8 replaced by U+FFFD. A string
// without escapes in valid UTF-8 is its own text, returned without a copy.
func unquote(span []byte) []byte {
	text := span[1 : len(span)-1]
	if bytes.IndexByte(text, '\\') < 0 && utf8.Valid(text) {
		return text
	}
	var v string
	_ = json.Unmarshal(span, &v) // it cannot fail: str checked the string
	return []byte(v)
}
