package diag

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestCause(t *testing.T) {
	bare := errors.New("symbolic link leads outside the site folder")
	pe := &fs.PathError{Op: "open", Path: "content/news/a.md", Err: bare}
	tests := []struct {
		err  error
		want string
	}{
		{pe, bare.Error()},
		{bare, bare.Error()},
		{fmt.Errorf("read schema: %w", pe), "read schema: open content/news/a.md: " + bare.Error()},
		{nil, ""},
	}
	for _, tt := range tests {
		got := Cause(tt.err)
		if s := fmt.Sprint(got); got == nil && tt.want != "" || got != nil && s != tt.want {
			t.Errorf("Cause(%v) = %v, want %q", tt.err, got, tt.want)
		}
	}
	if !errors.Is(Cause(pe), bare) {
		t.Error("Cause drops the error it wraps")
	}
}
