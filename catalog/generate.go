package catalog

//go:generate go run ./internal/generate
