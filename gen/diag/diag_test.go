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

// TestListUnwrap: errors.Is finds the cause of one problem of a list, and
// errors.As finds the list inside a wrapped error.
func TestListUnwrap(t *testing.T) {
	cause := &fs.PathError{Op: "open", Path: "data/kiosk/K01/pull.yaml", Err: fs.ErrPermission}
	var l List
	l.Addf("data/kiosk/kiosks.yaml", 3, "kiosk %q has no compound", "K01")
	l.Add(At("data/kiosk/K01/pull.yaml", 0, Cause(cause)))
	err := fmt.Errorf("kiosk store: %w", l)
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("errors.Is(%v, fs.ErrPermission) = false", err)
	}
	if errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = true", err)
	}
	var got List
	if !errors.As(err, &got) || len(got) != 2 {
		t.Fatalf("errors.As found %v, want the list of 2", got)
	}
	if s := got[1].Error(); s != "data/kiosk/K01/pull.yaml: permission denied" {
		t.Errorf("At(…).Error() = %q", s)
	}
	if in := got.In("x"); !errors.Is(in[1], fs.ErrPermission) {
		t.Errorf("In drops the cause of %v", in[1])
	}
}
