# gongjian: the two commands a new user needs are `make site` and `make test`.
GO ?= go
SITE ?= .
OUT ?= public

.PHONY: site test bench pgo serve pull demo-kiosk bench-site bench-serve bench-search bench-data bench-kiosk bench-photo bench-deploy

## site: build the example portal into public/
site:
	$(GO) run ./gen build -src $(SITE) -out $(OUT)

## test: every test (browser tests need chromium; .ci/run installs it), and
## gen and kioskpull compiled for macOS and Windows, where editors and staff
## may run them (kioskpull's device listing needs cgo on macOS: not checked)
test:
	$(GO) vet ./...
	GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./gen
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./gen
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./kioskpull
	$(GO) test -count=1 -timeout 30m ./...

## serve: the editors' preview with live reload
serve:
	$(GO) run ./gen serve -src $(SITE)

## bench: print the performance figures named in the issues
bench: bench-site bench-serve bench-search bench-data bench-kiosk bench-photo bench-deploy

## pgo: refresh gen/default.pgo, the profile the go command optimises gen with
pgo:
	$(GO) run ./gen/internal/pgoprofile

bench-site:
	$(GO) run ./gen/internal/sitebench

bench-serve:
	$(GO) run ./gen/internal/servebench

bench-search:
	$(GO) run ./gen/internal/searchbench

bench-data:
	$(GO) run ./gen/internal/databench

bench-kiosk:
	$(GO) run ./kioskpull/internal/kioskbench

bench-photo:
	$(GO) run ./gen/internal/photobench

## bench-deploy: gen deploy of the 10,000-story site to a local versitygw
bench-deploy:
	$(GO) run ./gen/internal/deploybench

## pull: pull weight logs from every kiosk plugged in
pull:
	$(GO) run ./kioskpull pull -all -out data/kiosk

## demo-kiosk: start a simulated kiosk and pull from it
demo-kiosk:
	$(GO) run ./kioskpull demo
