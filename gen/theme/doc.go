// Package theme loads a site theme — html/template page templates, shared
// partials, static files and the catalogue of UI strings — and renders pages
// with it. Every UI string comes from the catalogue (i18n/LANG.yaml), so an
// English edition needs a new catalogue, not new templates.
package theme
