package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/tabserve/tabserve/internal/oip"
	"github.com/tabserve/tabserve/internal/onnx"
)

// description is what inspect reports about a model.
type description struct {
	File            string            `json:"file"`
	IRVersion       int64             `json:"ir_version"`
	Producer        string            `json:"producer"`
	ProducerVersion string            `json:"producer_version"`
	Domain          string            `json:"domain,omitempty"`
	ModelVersion    int64             `json:"model_version"`
	Graph           string            `json:"graph"`
	Doc             string            `json:"doc,omitempty"`
	Opsets          map[string]int    `json:"opsets"`
	Nodes           int               `json:"nodes"`
	Initializers    int               `json:"initializers"`
	Ops             []string          `json:"ops"`
	Functions       []string          `json:"functions,omitempty"` // the model-local functions it calls
	Inputs          []valueDesc       `json:"inputs"`
	Outputs         []valueDesc       `json:"outputs"`
	Metadata        map[string]string `json:"metadata"`
}

type valueDesc struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Datatype string `json:"datatype,omitempty"` // the Open Inference Protocol's name
	Shape    []int  `json:"shape,omitempty"`
	Classes  any    `json:"classes,omitempty"` // a ZipMap output's class labels
}

// inspect describes a model: its inputs and outputs with types and
// shapes, opsets, operators, the functions it calls and metadata.
func inspect(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tabserve inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	modelPath := fs.String("model", "", "the ONNX model `file` (required)")
	asJSON := fs.Bool("json", false, "print JSON")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tabserve inspect --model M.onnx [--json]\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return usagef("inspect: --model is required")
	}
	m, err := onnx.LoadFile(*modelPath)
	if err != nil {
		return err
	}
	d := describe(*modelPath, m)
	if *asJSON {
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return err
		}
		_, err = stdout.Write(append(b, '\n'))
		return err
	}
	return d.writeText(stdout)
}

func describe(path string, m *onnx.Model) description {
	info := m.Info()
	d := description{
		File: path, IRVersion: info.IRVersion, Producer: info.ProducerName, ProducerVersion: info.ProducerVersion,
		Domain: info.Domain, ModelVersion: info.ModelVersion, Graph: info.GraphName, Doc: info.Doc,
		Opsets: info.Opsets, Nodes: info.Nodes, Initializers: info.Initializers, Ops: info.Ops, Functions: info.Functions,
		Metadata: info.Metadata,
	}
	if d.Ops == nil {
		d.Ops = []string{}
	}
	for _, in := range m.Inputs() {
		d.Inputs = append(d.Inputs, valueDesc{Name: in.Name, Type: in.Type.String(), Datatype: oip.Datatype(in.Type.Elem), Shape: in.Type.Shape})
	}
	for i, out := range m.Outputs() {
		vd := valueDesc{Name: out.Name, Type: out.Type.String()}
		if out.Type.Kind == "tensor" {
			vd.Datatype, vd.Shape = oip.Datatype(out.Type.Elem), out.Type.Shape
		}
		if keys := m.OutputKeys(i); keys != nil {
			if keys.Type == onnx.Int64 {
				vd.Classes = keys.Int64
			} else {
				vd.Classes = keys.String
			}
		}
		d.Outputs = append(d.Outputs, vd)
	}
	return d
}

func (d description) writeText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "file:\t%s\n", d.File)
	fmt.Fprintf(tw, "producer:\t%s\n", strings.TrimSpace(d.Producer+" "+d.ProducerVersion))
	fmt.Fprintf(tw, "ir version:\t%d\n", d.IRVersion)
	if d.Domain != "" || d.ModelVersion != 0 {
		fmt.Fprintf(tw, "domain, version:\t%s %d\n", d.Domain, d.ModelVersion)
	}
	fmt.Fprintf(tw, "graph:\t%s (%d nodes, %d initializers)\n", d.Graph, d.Nodes, d.Initializers)
	if d.Doc != "" {
		fmt.Fprintf(tw, "doc:\t%s\n", strings.ReplaceAll(d.Doc, "\n", " "))
	}
	var opsets []string
	for _, dom := range slices.Sorted(maps.Keys(d.Opsets)) {
		opsets = append(opsets, fmt.Sprintf("%s %d", dom, d.Opsets[dom]))
	}
	fmt.Fprintf(tw, "opsets:\t%s\n", strings.Join(opsets, ", "))
	fmt.Fprintf(tw, "ops:\t%s\n", strings.Join(d.Ops, ", "))
	if len(d.Functions) > 0 {
		fmt.Fprintf(tw, "functions:\t%s\n", strings.Join(d.Functions, ", "))
	}
	fmt.Fprintln(tw, "inputs:")
	for _, v := range d.Inputs {
		fmt.Fprintf(tw, "  %s\t%s\n", v.Name, v.Type)
	}
	fmt.Fprintln(tw, "outputs:")
	for _, v := range d.Outputs {
		if v.Classes != nil {
			fmt.Fprintf(tw, "  %s\t%s\tclasses %v\n", v.Name, v.Type, v.Classes)
		} else {
			fmt.Fprintf(tw, "  %s\t%s\n", v.Name, v.Type)
		}
	}
	if len(d.Metadata) > 0 {
		fmt.Fprintln(tw, "metadata:")
		for _, k := range slices.Sorted(maps.Keys(d.Metadata)) {
			fmt.Fprintf(tw, "  %s\t%s\n", k, d.Metadata[k])
		}
	}
	return tw.Flush()
}
