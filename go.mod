module github.com/tabserve/tabserve

go 1.26.8

require (
	go.yaml.in/yaml/v3 v3.0.6
	google.golang.org/protobuf v1.36.12
)
