package devmode

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestErrorPageEscapesWhatItQuotes(t *testing.T) {
	tests := []struct {
		name   string
		pg     page
		want   []string
		absent []string
	}{
		{
			name: "markup in the compiler output",
			pg:   page{Title: "The Go build failed", Sections: []section{{Output: `views/x_templ.go:3:1: syntax error near <script>alert("x")</script>`}}},
			want: []string{`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`},
			absent: []string{
				"<script>", // the page itself loads no script either
			},
		},
		{
			name:   "ampersands and quotes",
			pg:     page{Title: "T", Sections: []section{{Output: `a && b != "c" 'd'`}}},
			want:   []string{`a &amp;&amp; b != &#34;c&#34; &#39;d&#39;`},
			absent: []string{`"c"`},
		},
		{
			name:   "a heading quoting a file name",
			pg:     page{Title: "templ cannot generate your views", Sections: []section{{Heading: `views/<b>.templ`, Output: "x"}}},
			want:   []string{`<h2>views/&lt;b&gt;.templ</h2>`},
			absent: []string{"<b>"},
		},
		{
			name:   "a title and a hint",
			pg:     page{Title: `The shopcard server exited (signal: <killed>)`, Hint: `Run "go run . dev --reset" & retry`},
			want:   []string{`<h1>The shopcard server exited (signal: &lt;killed&gt;)</h1>`, `<title>The shopcard server exited (signal: &lt;killed&gt;) · shopcard dev</title>`, `Run &#34;go run . dev --reset&#34; &amp; retry`},
			absent: []string{"<killed>"},
		},
		{
			name: "newlines and tabs kept",
			pg:   page{Title: "T", Sections: []section{{Output: "# shopcard/views\n\tviews/a.go:1:1: x"}}},
			want: []string{"<pre data-testid=\"dev-output\"># shopcard/views\n\tviews/a.go:1:1: x</pre>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			writePage(rec, http.StatusInternalServerError, tt.pg)
			body := rec.Body.String()
			if rec.Code != http.StatusInternalServerError {
				t.Errorf("status %d", rec.Code)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q:\n%s", w, body)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(body, a) {
					t.Errorf("has %q unescaped:\n%s", a, body)
				}
			}
		})
	}
}
