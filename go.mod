module github.com/sobotgo/sobot

go 1.26

require (
	github.com/google/go-querystring v1.2.0
	github.com/stretchr/testify v1.12.1
	github.com/tdewolff/parse/v2 v2.8.20
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
