// Package corpus writes a synthetic portal of many Chinese stories, for
// benchmarks: gen's own (make bench) and Hugo's on the same stories.
package corpus

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Topics of the synthetic site, the same slugs as the example site.
var Topics = []string{"industrial-park", "river", "sewage-plant", "governance", "garbage-sorting", "elderly-care"}

var topicTitles = []string{"产城融合工业园区", "小流域治理", "生活污水处理厂", "基层治理", "垃圾分类", "养老服务"}

var tags = []string{"共同缔造", "积分制", "智能回收", "入户走访", "诉求办理", "小区治理", "志愿服务", "美好环境",
	"养老服务", "三加行动", "生态环境", "城市更新", "产城融合", "科普", "文体活动", "5433机制",
	"党建引领", "物业服务", "业委会", "邻里互助", "防诈宣传", "义诊", "河长制", "污水处理"}

var phrases = []string{
	"开发区坚持决策共谋、发展共建、建设共管、效果共评、成果共享", "社区干部和志愿者逐户上门走访",
	"居民提出的水电气暖问题被一一登记", "小区党支部、业委会和物业公司坐在一起商量", "智能回收亭自动称重并把积分记到积分卡上",
	"其他垃圾的数量明显下降", "长者服务中心的幸福食堂每天中午都很热闹", "小流域治理让家门口的小河重新变清",
	"学生们在污水处理厂了解一滴水的旅程", "白浪路改造后畅通美观", "党员中心户把服务送到楼栋",
	"居民点单、社区派单、党员接单", "退休职工舞蹈队每周都来排练", "工业园区和居民小区越走越近",
	"爱心积分超市里可以兑换洗发水和纸巾", "大家的事情大家商量着办",
}

// Write creates a site of n stories under dir: content/site.yaml, the six
// topic pages and content/news/story-NNNNN.md, each about 3 KB of Chinese
// Markdown with a table and a list. The same n gives the same files.
func Write(dir string, n int) error {
	news := filepath.Join(dir, "content", "news")
	topicsDir := filepath.Join(dir, "content", "topics")
	for _, d := range []string{news, topicsDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	site := "title: 基准测试门户\ndescription: 合成的基准测试站点。\nbaseURL: https://bench.example.org/\nlanguage: zh-CN\npaginate: 10\n" +
		"menu:\n  - {title: 首页, url: /}\n  - {title: 新闻, url: /news/}\n  - {title: 专题, url: /topics/}\n" +
		"topics: [" + strings.Join(Topics, ", ") + "]\n"
	if err := os.WriteFile(filepath.Join(dir, "content", "site.yaml"), []byte(site), 0o644); err != nil {
		return err
	}
	for i, t := range Topics {
		src := fmt.Sprintf("---\ntitle: %s\nsummary: %s的报道。\n---\n## 简介\n\n%s。\n", topicTitles[i], topicTitles[i], phrases[i])
		if err := os.WriteFile(filepath.Join(topicsDir, t+".md"), []byte(src), 0o644); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		if err := os.WriteFile(filepath.Join(news, fmt.Sprintf("story-%05d.md", i)), Story(rng, i), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Story is one synthetic story with front matter.
func Story(rng *rand.Rand, i int) []byte {
	var b strings.Builder
	day := i % 330
	fmt.Fprintf(&b, "---\ntitle: 共同缔造第%d期：%s\ndate: 2026-%02d-%02d\nsummary: %s。\n", i, phrases[rng.IntN(len(phrases))], 1+day/30, 1+day%28, phrases[rng.IntN(len(phrases))])
	fmt.Fprintf(&b, "topics: [%s]\n", Topics[i%len(Topics)])
	t1, t2 := tags[rng.IntN(len(tags))], tags[rng.IntN(len(tags))]
	if t1 == t2 {
		fmt.Fprintf(&b, "tags: [%s]\n---\n", t1)
	} else {
		fmt.Fprintf(&b, "tags: [%s, %s]\n---\n", t1, t2)
	}
	para := func() {
		for range 4 + rng.IntN(3) {
			b.WriteString(phrases[rng.IntN(len(phrases))])
			if rng.IntN(3) == 0 {
				b.WriteString("，\n")
			} else {
				b.WriteString("，")
			}
		}
		b.WriteString(phrases[rng.IntN(len(phrases))] + "。\n\n")
	}
	b.WriteString("## 现场\n\n")
	para()
	para()
	b.WriteString("| 项目 | 数量 | 说明 |\n|---|---:|---|\n")
	for r := range 5 {
		fmt.Fprintf(&b, "| 第%d项 | %d | %s |\n", r+1, rng.IntN(1000), phrases[rng.IntN(len(phrases))])
	}
	b.WriteString("\n## 做法\n\n")
	for r := range 4 {
		fmt.Fprintf(&b, "%d. %s\n", r+1, phrases[rng.IntN(len(phrases))])
	}
	b.WriteString("\n")
	para()
	b.WriteString("- **居民说**：" + phrases[rng.IntN(len(phrases))] + "\n- **下一步**：" + phrases[rng.IntN(len(phrases))] + "\n\n")
	para()
	para()
	return []byte(b.String())
}

// CopyDir copies the folder from into to, creating to: the theme into a
// benchmark or test site.
func CopyDir(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

// Bench prepares a benchmark in a new temporary folder named after prefix:
// a site of n stories at dir/site with the repository's default theme (run
// from the repository root), and the gen command built at dir/gen. The
// caller removes dir.
func Bench(prefix string, n int) (dir, site, gen string, err error) {
	dir, err = os.MkdirTemp("", prefix)
	if err != nil {
		return "", "", "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	site = filepath.Join(dir, "site")
	if err := Site(site, n); err != nil {
		return "", "", "", err
	}
	gen = filepath.Join(dir, "gen")
	if err := BuildGen(gen, "."); err != nil {
		return "", "", "", err
	}
	return dir, site, gen, nil
}

// Site writes a site of n stories (see Write) at dir with the repository's
// default theme; run from the repository root.
func Site(dir string, n int) error {
	if err := Write(dir, n); err != nil {
		return err
	}
	if err := CopyDir("themes/default", filepath.Join(dir, "themes", "default")); err != nil {
		return fmt.Errorf("run from the repository root: %w", err)
	}
	return nil
}

// BuildGen builds the gen command of the source tree at root (a checkout
// of the repository) into the file out, as the go command does by default
// (with gen/default.pgo when the tree has one).
func BuildGen(out, root string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-o", abs, "./gen")
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build in %s: %v\n%s", root, err, msg)
	}
	return nil
}
