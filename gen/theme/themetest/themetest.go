// Package themetest gives the template functions gen/build adds to a theme,
// for the tests of packages that load the default theme but cannot import
// gen/build (it imports them). They do what the build's do, without caching
// and without a site: topic finds none, abs joins the base URL.
package themetest

import (
	"fmt"
	"html/template"
	"reflect"
	"strings"

	"gongjian/gen/content"
	"gongjian/gen/theme"
)

// Funcs returns the functions; th is called when a partial renders, so it
// may return the theme that theme.Load is about to return.
func Funcs(th func() *theme.Theme, baseURL string) template.FuncMap {
	partial := func(name string, data any) (template.HTML, error) {
		var b strings.Builder
		err := th().Partial(&b, name, data)
		return template.HTML(b.String()), err
	}
	return template.FuncMap{
		"topic":  func(string) *content.Topic { return nil },
		"tagURL": content.TagURL,
		"abs":    func(p string) string { return baseURL + strings.TrimPrefix(p, "/") },
		"cached": func(name, _ string, data any) (template.HTML, error) { return partial(name, data) },
		"cachedEach": func(name string, list any) (template.HTML, error) {
			v := reflect.ValueOf(list)
			if v.Kind() != reflect.Slice {
				return "", fmt.Errorf("cachedEach %q: %T is not a list", name, list)
			}
			var b strings.Builder
			for i := range v.Len() {
				h, err := partial(name, v.Index(i).Interface())
				if err != nil {
					return "", err
				}
				b.WriteByte('\n')
				b.WriteString(string(h))
			}
			return template.HTML(b.String()), nil
		},
	}
}
