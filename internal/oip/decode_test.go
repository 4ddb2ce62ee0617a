package oip

import (
	"fmt"
	"strings"
	"testing"
)

// richBody exercises every member DecodeRequest reads and some it skips,
// with escapes, nested data and whitespace.
const richBody = `{"id":"r\u00e9q\"1", "parameters":{"a":1,"b":[true,false,null],"c":{"d":"e"}},
 "inputs":[{"name":"X","shape":[2,2],"datatype":"FP32","parameters":{"content_type":"np"},"data":[[1,2.5],[null,-3e2]]},
	{"name":"s","shape":[2],"datatype":"BYTES","data":["a\n","\u00e9\ud83d\ude00"]},
	{"name":"i","shape":[1,2],"datatype":"INT64","data":[[-0,9007199254740993]],"x":-0.5E+10}],
 "outputs":[{"name":"y","parameters":{"binary_data":false}},null] , "extra":[{"x":[1,{"y":null}]}, -0.5e-10, "\/"]}`

// input returns a request body with one input whose members are given.
func input(members string) string {
	return `{"inputs":[{` + members + `}]}`
}

// x1 is the members of a valid one-element FP32 input named X.
const x1 = `"name":"X","shape":[1],"datatype":"FP32","data":[1]`

func nested(depth int, inner string) string {
	return strings.Repeat("[", depth) + inner + strings.Repeat("]", depth)
}

func manyInputs(n int, first string) string {
	var sb strings.Builder
	sb.WriteString(`{"inputs":[`)
	sb.WriteString(first)
	for i := 1; i < n; i++ {
		fmt.Fprintf(&sb, `,{"name":"x%d","shape":[0],"datatype":"FP32","data":[]}`, i)
	}
	sb.WriteString(`]}`)
	return sb.String()
}

// decodeCases are request bodies, good and bad, meant to reach every
// branch of DecodeRequest; they seed FuzzDecodeRequest too.
var decodeCases = []struct{ name, body string }{
	{"rich", richBody},
	{"minimal", input(x1)},
	{"no inputs", `{"inputs":[]}`},
	{"whitespace everywhere", " \t\r\n{ \"id\" : \"a\" ,\n\"inputs\" :\t[ { \"name\" : \"X\" , \"shape\" : [ 1 , 2 ] , \"datatype\" : \"FP32\" , \"parameters\" : { } , \"data\" : [ [ 1 , null ] ] } ] , \"outputs\" : [ ] }\r\n "},
	{"escaped keys", `{"\u0069nputs":[{"n\u0061me":"X","sh\u0061pe":[1],"d\u0061tatype":"FP32","d\u0061ta":[1]}],"p\u0061rameters":{"\u00e9":1}}`},
	{"escaped values", input(`"name":"X\u0000\t\"\\\/\b\f\n\r","shape":[1],"datatype":"FP\u00332","data":[1]`)},
	{"surrogates", `{"id":"\ud800\u0041\udc00\ud83d\ude00\ud83d","inputs":[{"name":"\udfff","shape":[1],"datatype":"BYTES","data":["\ud800x"]}]}`},
	{"invalid UTF-8 in strings", "{\"id\":\"\xff\xfe\",\"inputs\":[{\"name\":\"X\xed\xa0\x80\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"\xc3\"]}],\"parameters\":{\"k\xff\":\"\xe2\x82\"},\"x\xff\":1}"},
	{"invalid UTF-8 outside strings", "{\"inputs\":[]\xff}"},
	{"non-ASCII names", input(`"name":"é漢字","shape":[1],"datatype":"BYTES","data":["é"]`)},
	{"unknown members of every type", `{"s":"x","n":-1.5e3,"t":true,"f":false,"z":null,"o":{"a":{"b":[]}},"a":[[],{},"",0],"inputs":[]}`},
	{"unknown input members", input(x1 + `,"s":"x","n":0,"t":true,"f":false,"z":null,"o":{},"a":[{"k":[1]}]`)},
	{"unknown output members", `{"inputs":[],"outputs":[{"name":"y","s":"x","o":{"a":1},"a":[1,2]}]}`},

	{"duplicate id, last good", `{"id":1,"id":"b","inputs":[]}`},
	{"duplicate id, last bad", `{"id":"a","id":1,"inputs":[]}`},
	{"duplicate inputs, last good", `{"inputs":1,"inputs":[]}`},
	{"duplicate inputs, last bad", `{"inputs":[],"inputs":{}}`},
	{"duplicate inputs, both good", `{"inputs":[{` + x1 + `}],"inputs":[{"name":"Y","shape":[0],"datatype":"FP64","data":[]}]}`},
	{"duplicate parameters", `{"parameters":null,"parameters":{"a":1,"a":[2]},"inputs":[]}`},
	{"duplicate outputs", `{"outputs":[1],"outputs":[{"name":"y"}],"inputs":[]}`},
	{"duplicate input members", input(`"name":1,"name":"X","shape":"x","shape":[1],"datatype":null,"datatype":"FP32","data":[1],"data":[2],"parameters":1,"parameters":{}`)},
	{"duplicate input members, last bad", input(`"name":"X","name":"","shape":[1],"datatype":"FP32","data":[1]`)},
	{"duplicate output members", `{"inputs":[],"outputs":[{"name":1,"name":"y","parameters":{"a":1},"parameters":{"b":2}}]}`},

	{"keys are case-sensitive", `{"Inputs":[]}`},
	{"input keys are case-sensitive", input(`"Name":"X","shape":[1],"datatype":"FP32","data":[1]`)},
	{"id number", `{"id":1,"inputs":[]}`},
	{"id null", `{"id":null,"inputs":[]}`},
	{"id object", `{"id":{},"inputs":[]}`},
	{"id array", `{"id":["a"],"inputs":[]}`},
	{"id bool", `{"id":true,"inputs":[]}`},
	{"parameters null", `{"parameters":null,"inputs":[]}`},
	{"parameters array", `{"parameters":[],"inputs":[]}`},
	{"parameters string", `{"parameters":"a","inputs":[]}`},
	{"parameters empty", `{"parameters":{},"inputs":[]}`},
	{"parameters of every type", `{"parameters":{"s":"x","n":1e2,"t":true,"f":false,"z":null,"o":{"a":[1]},"a":[{}]},"inputs":[]}`},
	{"bad id before bad parameters", `{"parameters":1,"id":1}`},
	{"bad parameters before missing inputs", `{"parameters":1}`},
	{"missing inputs", `{}`},
	{"inputs null", `{"inputs":null}`},
	{"inputs object", `{"inputs":{}}`},
	{"inputs string", `{"inputs":"x"}`},
	{"inputs number", `{"inputs":1}`},
	{"input null", `{"inputs":[null]}`},
	{"input number", `{"inputs":[1]}`},
	{"input array", `{"inputs":[[]]}`},
	{"input string", `{"inputs":["x"]}`},
	{"second input bad", `{"inputs":[{` + x1 + `},{"name":""}]}`},
	{"too many inputs", manyInputs(MaxInputs+1, `{"name":"x0","shape":[0],"datatype":"FP32","data":[]}`)},
	{"too many inputs, first bad", manyInputs(MaxInputs+1, `null`)},
	{"most inputs", manyInputs(MaxInputs, `{"name":"x0","shape":[0],"datatype":"FP32","data":[]}`)},
	{"duplicate input name", `{"inputs":[{` + x1 + `},{` + x1 + `}]}`},
	{"duplicate input name after escapes", `{"inputs":[{` + x1 + `},{"name":"\u0058","shape":[1],"datatype":"FP32","data":[1]}]}`},
	{"bad input after duplicate name", `{"inputs":[{` + x1 + `},{` + x1 + `},1]}`},

	{"name missing", input(`"shape":[1],"datatype":"FP32","data":[1]`)},
	{"name null", input(`"name":null,"shape":[1],"datatype":"FP32","data":[1]`)},
	{"name empty", input(`"name":"","shape":[1],"datatype":"FP32","data":[1]`)},
	{"name number", input(`"name":1,"shape":[1],"datatype":"FP32","data":[1]`)},
	{"name array", input(`"name":["X"],"shape":[1],"datatype":"FP32","data":[1]`)},
	{"name and data bad", input(`"name":1,"shape":[1],"datatype":"FP32"`)},
	{"shape missing", input(`"name":"X","datatype":"FP32","data":[1]`)},
	{"shape null", input(`"name":"X","shape":null,"datatype":"FP32","data":[1]`)},
	{"shape string", input(`"name":"X","shape":"1","datatype":"FP32","data":[1]`)},
	{"shape object", input(`"name":"X","shape":{},"datatype":"FP32","data":[1]`)},
	{"shape empty", input(`"name":"X","shape":[],"datatype":"FP32","data":[1]`)},
	{"shape with null", input(`"name":"X","shape":[null,2],"datatype":"FP32","data":[]`)},
	{"shape negative zero", input(`"name":"X","shape":[-0],"datatype":"FP32","data":[]`)},
	{"shape negative", input(`"name":"X","shape":[-1],"datatype":"FP32","data":[]`)},
	{"shape fraction", input(`"name":"X","shape":[1.5],"datatype":"FP32","data":[1]`)},
	{"shape integral fraction", input(`"name":"X","shape":[1.0],"datatype":"FP32","data":[1]`)},
	{"shape exponent", input(`"name":"X","shape":[1e2],"datatype":"FP32","data":[1]`)},
	{"shape string element", input(`"name":"X","shape":["1"],"datatype":"FP32","data":[1]`)},
	{"shape nested", input(`"name":"X","shape":[[1]],"datatype":"FP32","data":[1]`)},
	{"shape object element", input(`"name":"X","shape":[{}],"datatype":"FP32","data":[1]`)},
	{"shape bool element", input(`"name":"X","shape":[true],"datatype":"FP32","data":[1]`)},
	{"shape bad element after a good one", input(`"name":"X","shape":[1,"x",2],"datatype":"FP32","data":[1]`)},
	{"shape beyond int64", input(`"name":"X","shape":[9223372036854775808],"datatype":"FP32","data":[1]`)},
	{"shape below int64", input(`"name":"X","shape":[-9223372036854775809],"datatype":"FP32","data":[1]`)},
	{"shape int64 min", input(`"name":"X","shape":[-9223372036854775808],"datatype":"FP32","data":[1]`)},
	{"dimension at the limit", input(`"name":"X","shape":[2147483648,0],"datatype":"FP32","data":[]`)},
	{"dimension beyond the limit", input(`"name":"X","shape":[2147483649],"datatype":"FP32","data":[]`)},
	{"shape too large", input(`"name":"X","shape":[65536,65536],"datatype":"FP32","data":[]`)},
	{"shape huge", input(`"name":"X","shape":[1000000,1000000],"datatype":"FP32","data":[]`)},
	{"shape zero then huge", input(`"name":"X","shape":[0,1000000000000],"datatype":"FP32","data":[]`)},
	{"shape zero then large", input(`"name":"X","shape":[0,2147483648,2147483648],"datatype":"FP32","data":[]`)},
	{"bad dimension after too large", input(`"name":"X","shape":[65536,65536,-1],"datatype":"FP32","data":[]`)},
	{"datatype missing", input(`"name":"X","shape":[1],"data":[1]`)},
	{"datatype null", input(`"name":"X","shape":[1],"datatype":null,"data":[1]`)},
	{"datatype empty", input(`"name":"X","shape":[1],"datatype":"","data":[1]`)},
	{"datatype number", input(`"name":"X","shape":[1],"datatype":32,"data":[1]`)},
	{"datatype unknown", input(`"name":"X","shape":[1],"datatype":"FP128","data":[1]`)},
	{"datatype of the protocol", input(`"name":"X","shape":[1],"datatype":"UINT8","data":[1]`)},
	{"datatype lower-case", input(`"name":"X","shape":[1],"datatype":"fp32","data":[1]`)},
	{"input parameters null", input(x1 + `,"parameters":null`)},
	{"input parameters array", input(x1 + `,"parameters":[]`)},
	{"input parameters", input(x1 + `,"parameters":{"a":"b","c":[1,2]}`)},
	{"bad parameters before missing data", input(`"name":"X","shape":[1],"datatype":"FP32","parameters":1`)},
	{"data missing", input(`"name":"X","shape":[1],"datatype":"FP32"`)},
	{"data null", input(`"name":"X","shape":[1],"datatype":"FP32","data":null`)},
	{"data string", input(`"name":"X","shape":[1],"datatype":"FP32","data":"1"`)},
	{"data object", input(`"name":"X","shape":[1],"datatype":"FP32","data":{"a":1}`)},
	{"data with an object", input(`"name":"X","shape":[1],"datatype":"FP32","data":[{}]`)},
	{"data deep", input(`"name":"X","shape":[1],"datatype":"FP32","data":` + nested(40, "1"))},
	{"data at the data depth limit", input(`"name":"X","shape":[1],"datatype":"FP32","data":` + nested(32, "1"))},
	{"data of every kind", input(`"name":"X","shape":[7],"datatype":"FP32","data":[1,-0,0.5e-3,1E+2,null,true,"x"]`)},
	{"data numbers out of range", input(`"name":"X","shape":[3],"datatype":"INT32","data":[2147483648,1e2,-1]`)},
	{"data empty nested", input(`"name":"X","shape":[0,2],"datatype":"FP32","data":[[],[]]`)},

	{"outputs null", `{"inputs":[],"outputs":null}`},
	{"outputs object", `{"inputs":[],"outputs":{}}`},
	{"outputs string", `{"inputs":[],"outputs":"y"}`},
	{"outputs empty", `{"inputs":[],"outputs":[]}`},
	{"output null", `{"inputs":[],"outputs":[null]}`},
	{"output number", `{"inputs":[],"outputs":[1]}`},
	{"output array", `{"inputs":[],"outputs":[[]]}`},
	{"output without name", `{"inputs":[],"outputs":[{}]}`},
	{"output name empty", `{"inputs":[],"outputs":[{"name":""}]}`},
	{"output name null", `{"inputs":[],"outputs":[{"name":null}]}`},
	{"output name number", `{"inputs":[],"outputs":[{"name":1}]}`},
	{"output parameters null", `{"inputs":[],"outputs":[{"name":"y","parameters":null}]}`},
	{"output parameters", `{"inputs":[],"outputs":[{"name":"y","parameters":{"a":1}}]}`},
	{"output bad after a good one", `{"inputs":[],"outputs":[{"name":"y"},1]}`},
	{"output not an object after one without name", `{"inputs":[],"outputs":[{},1]}`},
	{"output without name after null", `{"inputs":[],"outputs":[null,{}]}`},
	{"bad input before bad outputs", `{"outputs":1,"inputs":[1]}`},

	{"empty", ``},
	{"only whitespace", " \t\r\n"},
	{"top null", `null`},
	{"top array", `[]`},
	{"top string", `"x"`},
	{"top number", `1`},
	{"top true", `true`},
	{"top false", `false`},
	{"top minus", `-`},
	{"top number then junk", `1x`},
	{"top null then junk", `nullx`},
	{"top null then value", `null 1`},
	{"top array then junk", `[1] x`},
	{"top array unclosed", `[1`},
	{"trailing object", `{"inputs":[]} {}`},
	{"trailing junk", `{"inputs":[]}x`},
	{"trailing whitespace", "{\"inputs\":[]} \n\t\r"},
	{"trailing NUL", "{\"inputs\":[]}\x00"},
	{"bad input before trailing data", `{"inputs":[1]} 1`},
	{"trailing brace", `{"inputs":[]}}`},
	{"trailing bracket", "{\"inputs\":[]}\n]x"},
	{"trailing brace after null", `null }`},
	{"trailing brace after an array", `[]}`},
	{"trailing brace after a syntax error", `{"inputs":[}}`},

	{"unclosed", `{"inputs":[{"name":"X","shape":[2],"datatype":"FP32","data":[1,`},
	{"unclosed string", `{"inputs":[{"name":"X`},
	{"unclosed top", `{`},
	{"unclosed key", `{"inp`},
	{"key without colon", `{"inputs"}`},
	{"key then value", `{"inputs" []}`},
	{"key not a string", `{inputs:[]}`},
	{"number key", `{1:[]}`},
	{"trailing comma in object", `{"inputs":[],}`},
	{"trailing comma in array", `{"inputs":[1,]}`},
	{"missing comma in object", `{"inputs":[] "id":"a"}`},
	{"missing comma in array", `{"inputs":[1 2]}`},
	{"leading zero", `{"x":01,"inputs":[]}`},
	{"leading zero in data", input(`"name":"X","shape":[1],"datatype":"FP32","data":[01]`)},
	{"minus alone", `{"x":-,"inputs":[]}`},
	{"minus letter", `{"x":-a}`},
	{"plus sign", `{"x":+1}`},
	{"point without digits", `{"x":1.}`},
	{"point then exponent", `{"x":1.e5}`},
	{"exponent without digits", `{"x":1e}`},
	{"exponent sign without digits", `{"x":1e+}`},
	{"leading point", `{"x":.5}`},
	{"hex number", `{"x":0x1}`},
	{"NaN", input(`"name":"X","shape":[1],"datatype":"FP32","data":[NaN]`)},
	{"Infinity", input(`"name":"X","shape":[1],"datatype":"FP32","data":[-Infinity]`)},
	{"bad true", `{"x":tru}`},
	{"bad true at the end", `{"x":tru`},
	{"bad false", `{"x":fals}`},
	{"bad null", `{"x":nul}`},
	{"literal then junk", `{"x":truex}`},
	{"capital literal", `{"x":True}`},
	{"bad escape", `{"x":"\x"}`},
	{"bad unicode escape", `{"x":"\u12g4"}`},
	{"short unicode escape", `{"x":"\u12"}`},
	{"escape at the end", `{"x":"\`},
	{"control character in a string", "{\"x\":\"a\tb\"}"},
	{"control character in a key", "{\"\n\":1}"},
	{"DEL in a string", "{\"x\":\"\x7f\",\"inputs\":[]}"},
	{"single quotes", `{'inputs':[]}`},
	{"quote character", `{"x":1"}`},
	{"byte order mark", "\xef\xbb\xbf{\"inputs\":[]}"},
	{"comment", `{"inputs":[]/**/}`},
	{"syntax error after semantic errors", `{"id":1,"inputs":[1],"x":[1,]}`},
	{"syntax error in data after bad input", `{"inputs":[{"name":""},{"data":[1,]}]}`},
	{"syntax error in parameters", `{"parameters":{"a":[}]},"inputs":[]}`},
	{"syntax error in shape", input(`"name":"X","shape":[1,],"datatype":"FP32","data":[1]`)},
	{"syntax error in an output", `{"inputs":[],"outputs":[{"name":"y",}]}`},
	{"deep but allowed", `{"x":` + nested(maxNestingReference-1, "") + `,"inputs":[]}`},
	{"too deep", `{"x":` + nested(maxNestingReference, "") + `,"inputs":[]}`},
	{"too deep object", `{"x":` + strings.Repeat(`{"a":`, maxNestingReference) + `1` + strings.Repeat(`}`, maxNestingReference) + `}`},
	{"too deep at the top", nested(maxNestingReference+1, "")},
	{"deep data", input(`"name":"X","shape":[1],"datatype":"FP32","data":` + nested(maxNestingReference-3, "1"))},
}

// maxNestingReference is the nesting encoding/json allows.
const maxNestingReference = 10000

func TestDecodeRequestMatchesReference(t *testing.T) {
	for _, tt := range decodeCases {
		t.Run(tt.name, func(t *testing.T) {
			checkAgainstReference(t, []byte(tt.body))
		})
	}
}

// TestDecodeRequestMutationsMatchReference compares DecodeRequest with the
// reference on every prefix of richBody, and on every body made by
// replacing one of its bytes with a byte that matters to JSON.
func TestDecodeRequestMutationsMatchReference(t *testing.T) {
	body := []byte(richBody)
	t.Run("prefixes", func(t *testing.T) {
		for n := range body {
			checkAgainstReference(t, body[:n])
		}
	})
	t.Run("one byte replaced", func(t *testing.T) {
		b := make([]byte, len(body))
		for i := range body {
			for _, c := range []byte("\"\\,:[]{} 0-.ex\x00\xff\ntn") {
				copy(b, body)
				b[i] = c
				checkAgainstReference(t, b)
			}
		}
	})
	t.Run("one byte removed", func(t *testing.T) {
		for i := range body {
			b := append(append([]byte(nil), body[:i]...), body[i+1:]...)
			checkAgainstReference(t, b)
		}
	})
}
