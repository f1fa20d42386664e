package request

import (
	"strings"
	"testing"
)

func TestCleanPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"*", "*"},
		{"/", "/"},
		{"/admin/x", "/admin/x"},
		{"/admin/", "/admin/"},
		{"//admin/x", "/admin/x"},
		{"/./admin/x", "/admin/x"},
		{"/x/../admin/x", "/admin/x"},
		{"/../../admin", "/admin"},
		{"/admin/.", "/admin/"},
		{"/admin/..", "/"},
		{"/admin;jsessionid=1/x", "/admin/x"},
		{"/..;/admin", "/admin"},
		{"/.;/admin", "/admin"},
		{`\admin\x`, "/admin/x"},
		{`/a\..\admin`, "/admin"},
		{"/a//b///c/", "/a/b/c/"},
		{"/a/.../b", "/a/.../b"}, // "..." is a name
		{"/a/..b/c", "/a/..b/c"},
		{"/;", "/"},
	}
	for _, tt := range tests {
		if got := CleanPath(tt.in); got != tt.want {
			t.Errorf("CleanPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanPathNoAllocWhenClean(t *testing.T) {
	p := "/api/v1/users/42/orders"
	if n := testing.AllocsPerRun(100, func() { _ = CleanPath(p) }); n != 0 {
		t.Errorf("CleanPath of a clean path allocates %v times", n)
	}
}

func TestCleanHost(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"admin.example.com", "admin.example.com"},
		{"ADMIN.Example.com", "admin.example.com"},
		{"admin.example.com.", "admin.example.com"},
		{"Admin.example.com.:8443", "admin.example.com:8443"},
		{"[2001:DB8::1]:443", "[2001:db8::1]:443"},
		{"[2001:db8::1]", "[2001:db8::1]"},
		{".", "."},
	}
	for _, tt := range tests {
		if got := CleanHost(tt.in); got != tt.want {
			t.Errorf("CleanHost(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzCleanPath checks that a cleaned path is clean: cleaning it again changes
// nothing, it starts with a slash, and it has no empty, "." or ".." segment and no
// backslash or semicolon.
func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"/", "//a", "/./a/../b", `\a\b`, "/a;b/c", "/..;/x", "/a/b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		c := CleanPath(p)
		if p == "" || p[0] != '/' && p[0] != '\\' {
			if c != p {
				t.Fatalf("CleanPath(%q) = %q, want it unchanged", p, c)
			}
			return
		}
		if again := CleanPath(c); again != c {
			t.Fatalf("CleanPath(%q) = %q, but CleanPath of that is %q", p, c, again)
		}
		if c[0] != '/' || strings.ContainsAny(c, `\;`) || strings.Contains(c, "//") ||
			strings.Contains(c+"/", "/./") || strings.Contains(c+"/", "/../") {
			t.Fatalf("CleanPath(%q) = %q is not clean", p, c)
		}
	})
}
