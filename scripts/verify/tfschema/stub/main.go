// terraform-provider-<name> schema stub for offline `terraform validate`.
//
// Speaks plugin protocol v6. Serves the provider schema read from a JSON file
// in the shape of `terraform providers schema -json` (only the schema; no
// descriptions needed) and accepts every Validate* call, so that Terraform
// core itself checks argument names, types, required arguments, block shapes
// and references against the schema; the only check of its own is that no
// value is given for a computed-only attribute. ConfigureProvider fails and
// other RPCs are not implemented (plan/apply are out of scope).
//
// Schema file: $TFSCHEMA_STUB_SCHEMA, else "schema.json" next to the binary.
// Provider address: the only entry of provider_schemas, or the one whose
// last path element matches terraform-provider-<name> (the binary's name).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

type jsonAttr struct {
	Type       json.RawMessage `json:"type"`
	NestedType *jsonNested     `json:"nested_type"`
	Required   bool            `json:"required"`
	Optional   bool            `json:"optional"`
	Computed   bool            `json:"computed"`
	Sensitive  bool            `json:"sensitive"`
	Deprecated bool            `json:"deprecated"`
}

type jsonNested struct {
	Attributes  map[string]*jsonAttr `json:"attributes"`
	NestingMode string               `json:"nesting_mode"`
}

type jsonBlock struct {
	Attributes map[string]*jsonAttr      `json:"attributes"`
	BlockTypes map[string]*jsonBlockType `json:"block_types"`
	Deprecated bool                      `json:"deprecated"`
}

type jsonBlockType struct {
	NestingMode string     `json:"nesting_mode"`
	Block       *jsonBlock `json:"block"`
	MinItems    int64      `json:"min_items"`
	MaxItems    int64      `json:"max_items"`
}

type jsonSchema struct {
	Version int64      `json:"version"`
	Block   *jsonBlock `json:"block"`
}

type jsonProvider struct {
	Provider          *jsonSchema            `json:"provider"`
	ResourceSchemas   map[string]*jsonSchema `json:"resource_schemas"`
	DataSourceSchemas map[string]*jsonSchema `json:"data_source_schemas"`
}

type jsonFile struct {
	ProviderSchemas map[string]*jsonProvider `json:"provider_schemas"`
}

func nestingMode(s string) (tfprotov6.SchemaNestedBlockNestingMode, error) {
	switch s {
	case "single":
		return tfprotov6.SchemaNestedBlockNestingModeSingle, nil
	case "list":
		return tfprotov6.SchemaNestedBlockNestingModeList, nil
	case "set":
		return tfprotov6.SchemaNestedBlockNestingModeSet, nil
	case "map":
		return tfprotov6.SchemaNestedBlockNestingModeMap, nil
	case "group":
		return tfprotov6.SchemaNestedBlockNestingModeGroup, nil
	}
	return 0, fmt.Errorf("unknown block nesting_mode %q", s)
}

func objectNestingMode(s string) (tfprotov6.SchemaObjectNestingMode, error) {
	switch s {
	case "single":
		return tfprotov6.SchemaObjectNestingModeSingle, nil
	case "list":
		return tfprotov6.SchemaObjectNestingModeList, nil
	case "set":
		return tfprotov6.SchemaObjectNestingModeSet, nil
	case "map":
		return tfprotov6.SchemaObjectNestingModeMap, nil
	}
	return 0, fmt.Errorf("unknown nested_type nesting_mode %q", s)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func convAttr(name string, a *jsonAttr, path string) (*tfprotov6.SchemaAttribute, error) {
	out := &tfprotov6.SchemaAttribute{
		Name:       name,
		Required:   a.Required,
		Optional:   a.Optional,
		Computed:   a.Computed,
		Sensitive:  a.Sensitive,
		Deprecated: a.Deprecated,
	}
	if a.NestedType != nil {
		mode, err := objectNestingMode(a.NestedType.NestingMode)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", path, name, err)
		}
		obj := &tfprotov6.SchemaObject{Nesting: mode}
		for _, k := range sortedKeys(a.NestedType.Attributes) {
			na, err := convAttr(k, a.NestedType.Attributes[k], path+"."+name)
			if err != nil {
				return nil, err
			}
			obj.Attributes = append(obj.Attributes, na)
		}
		out.NestedType = obj
		return out, nil
	}
	t, err := tftypes.ParseJSONType(a.Type) //nolint:staticcheck // exactly what we need
	if err != nil {
		return nil, fmt.Errorf("%s.%s: type %s: %w", path, name, string(a.Type), err)
	}
	out.Type = t
	return out, nil
}

func convBlock(b *jsonBlock, path string) (*tfprotov6.SchemaBlock, error) {
	out := &tfprotov6.SchemaBlock{}
	if b == nil {
		return out, nil
	}
	out.Deprecated = b.Deprecated
	for _, k := range sortedKeys(b.Attributes) {
		a, err := convAttr(k, b.Attributes[k], path)
		if err != nil {
			return nil, err
		}
		out.Attributes = append(out.Attributes, a)
	}
	for _, k := range sortedKeys(b.BlockTypes) {
		bt := b.BlockTypes[k]
		mode, err := nestingMode(bt.NestingMode)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", path, k, err)
		}
		inner, err := convBlock(bt.Block, path+"."+k)
		if err != nil {
			return nil, err
		}
		out.BlockTypes = append(out.BlockTypes, &tfprotov6.SchemaNestedBlock{
			TypeName: k, Block: inner, Nesting: mode, MinItems: bt.MinItems, MaxItems: bt.MaxItems,
		})
	}
	return out, nil
}

func convSchema(s *jsonSchema, path string) (*tfprotov6.Schema, error) {
	if s == nil {
		return &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{}}, nil
	}
	b, err := convBlock(s.Block, path)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.Schema{Version: s.Version, Block: b}, nil
}

type stub struct {
	tfprotov6.ProviderServer // nil: any RPC not implemented below panics (never used by validate)

	schema *tfprotov6.GetProviderSchemaResponse
}

func (s *stub) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	resp := &tfprotov6.GetMetadataResponse{
		ServerCapabilities: s.schema.ServerCapabilities,
		Diagnostics:        s.schema.Diagnostics,
	}
	for _, k := range sortedKeys(s.schema.ResourceSchemas) {
		resp.Resources = append(resp.Resources, tfprotov6.ResourceMetadata{TypeName: k})
	}
	for _, k := range sortedKeys(s.schema.DataSourceSchemas) {
		resp.DataSources = append(resp.DataSources, tfprotov6.DataSourceMetadata{TypeName: k})
	}
	return resp, nil
}

func (s *stub) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return s.schema, nil
}

func (s *stub) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{}}, nil
}

func (s *stub) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return &tfprotov6.GetFunctionsResponse{Functions: map[string]*tfprotov6.Function{}}, nil
}

func (s *stub) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{}, nil
}

func (s *stub) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: readOnly(s.schema.ResourceSchemas[req.TypeName], req.Config)}, nil
}

func (s *stub) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return &tfprotov6.ValidateDataResourceConfigResponse{Diagnostics: readOnly(s.schema.DataSourceSchemas[req.TypeName], req.Config)}, nil
}

// readOnly is the one check the stub adds to Terraform core's: a value given
// for a computed-only attribute (real providers reject it in their own
// validation: SDKv2 "this field cannot be set", framework "Invalid
// Configuration for Read-Only Attribute"; core does not).
func readOnly(schema *tfprotov6.Schema, config *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	if schema == nil || config == nil {
		return nil
	}
	v, err := config.Unmarshal(schema.ValueType())
	if err != nil {
		return nil // lenient: core has already checked the shape
	}
	var out []*tfprotov6.Diagnostic
	readOnlyBlock(schema.Block, v, tftypes.NewAttributePath(), "", &out)
	return out
}

// elements of a known, non-null collection or object value keyed for paths
func each(v tftypes.Value, p *tftypes.AttributePath, name string, fn func(tftypes.Value, *tftypes.AttributePath, string)) {
	if v.IsNull() || !v.IsKnown() {
		return
	}
	switch {
	case v.Type().Is(tftypes.List{}) || v.Type().Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		if v.As(&elems) == nil {
			for i, e := range elems {
				fn(e, p.WithElementKeyInt(i), fmt.Sprintf("%s[%d]", name, i))
			}
		}
	case v.Type().Is(tftypes.Set{}):
		var elems []tftypes.Value
		if v.As(&elems) == nil {
			for _, e := range elems {
				fn(e, p.WithElementKeyValue(e), name+"[*]")
			}
		}
	case v.Type().Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		if v.As(&m) == nil {
			for k, e := range m {
				fn(e, p.WithElementKeyString(k), fmt.Sprintf("%s[%q]", name, k))
			}
		}
	default:
		fn(v, p, name)
	}
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func readOnlyBlock(b *tfprotov6.SchemaBlock, v tftypes.Value, p *tftypes.AttributePath, name string, out *[]*tfprotov6.Diagnostic) {
	if b == nil || v.IsNull() || !v.IsKnown() {
		return
	}
	var obj map[string]tftypes.Value
	if v.As(&obj) != nil {
		return
	}
	for _, a := range b.Attributes {
		readOnlyAttr(a.Name, a.Computed && !a.Optional && !a.Required, a.NestedType, obj[a.Name], p.WithAttributeName(a.Name), join(name, a.Name), out)
	}
	for _, nb := range b.BlockTypes {
		each(obj[nb.TypeName], p.WithAttributeName(nb.TypeName), join(name, nb.TypeName), func(e tftypes.Value, ep *tftypes.AttributePath, en string) {
			readOnlyBlock(nb.Block, e, ep, en, out)
		})
	}
}

func readOnlyAttr(attr string, computedOnly bool, nested *tfprotov6.SchemaObject, v tftypes.Value, p *tftypes.AttributePath, name string, out *[]*tfprotov6.Diagnostic) {
	if v.Type() == nil || v.IsNull() {
		return
	}
	if computedOnly {
		*out = append(*out, &tfprotov6.Diagnostic{
			Severity:  tfprotov6.DiagnosticSeverityError,
			Summary:   "Value for read-only attribute",
			Detail:    fmt.Sprintf("%q is computed by the provider and cannot be set in configuration; remove it.", name),
			Attribute: p,
		})
		return
	}
	if nested == nil {
		return
	}
	each(v, p, name, func(e tftypes.Value, ep *tftypes.AttributePath, en string) {
		var obj map[string]tftypes.Value
		if e.IsNull() || !e.IsKnown() || e.As(&obj) != nil {
			return
		}
		for _, a := range nested.Attributes {
			readOnlyAttr(a.Name, a.Computed && !a.Optional && !a.Required, a.NestedType, obj[a.Name], ep.WithAttributeName(a.Name), join(en, a.Name), out)
		}
	})
}

func (s *stub) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov6.ValidateEphemeralResourceConfigResponse{}, nil
}

func (s *stub) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

func (s *stub) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{Diagnostics: []*tfprotov6.Diagnostic{{
		Severity: tfprotov6.DiagnosticSeverityError,
		Summary:  "schema stub",
		Detail:   "This provider is a schema-only stub for offline `terraform validate`; it cannot plan or apply.",
	}}}, nil
}

func load() (string, *tfprotov6.GetProviderSchemaResponse, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	base := filepath.Base(exe)
	name := strings.TrimPrefix(base, "terraform-provider-")
	if i := strings.Index(name, "_"); i >= 0 {
		name = name[:i]
	}
	path := os.Getenv("TFSCHEMA_STUB_SCHEMA")
	if path == "" {
		path = filepath.Join(filepath.Dir(exe), "schema.json")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	var f jsonFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	var addr string
	var p *jsonProvider
	for k, v := range f.ProviderSchemas {
		if len(f.ProviderSchemas) == 1 || k[strings.LastIndex(k, "/")+1:] == name {
			addr, p = k, v
		}
	}
	if p == nil {
		return "", nil, fmt.Errorf("%s: no provider schema for %q", path, name)
	}
	resp := &tfprotov6.GetProviderSchemaResponse{
		ServerCapabilities:       &tfprotov6.ServerCapabilities{GetProviderSchemaOptional: false, PlanDestroy: true},
		ResourceSchemas:          map[string]*tfprotov6.Schema{},
		DataSourceSchemas:        map[string]*tfprotov6.Schema{},
		Functions:                map[string]*tfprotov6.Function{},
		EphemeralResourceSchemas: map[string]*tfprotov6.Schema{},
	}
	if resp.Provider, err = convSchema(p.Provider, "provider"); err != nil {
		return "", nil, err
	}
	for k, v := range p.ResourceSchemas {
		if resp.ResourceSchemas[k], err = convSchema(v, k); err != nil {
			return "", nil, err
		}
	}
	for k, v := range p.DataSourceSchemas {
		if resp.DataSourceSchemas[k], err = convSchema(v, "data."+k); err != nil {
			return "", nil, err
		}
	}
	return addr, resp, nil
}

func main() {
	addr, schema, err := load()
	if err != nil {
		fmt.Fprintf(os.Stderr, "tfschema stub: %v\n", err)
		os.Exit(1)
	}
	if err := tf6server.Serve(addr, func() tfprotov6.ProviderServer { return &stub{schema: schema} }); err != nil {
		fmt.Fprintf(os.Stderr, "tfschema stub: %v\n", err)
		os.Exit(1)
	}
}
