import type { PublishedMetricKey } from './published-figures.ts'

// What each number is, in the clinic's two languages: the names the table and charts print, the exact
// definitions (REFERENCE.md §3, the seed's), and what automatic metrics can and cannot tell.

export interface Bilingual {
  'zh-CN': string
  en: string
}

export const metricNames: Record<PublishedMetricKey, string> = {
  bleu1: 'BLEU-1',
  bleu2: 'BLEU-2',
  bleu3: 'BLEU-3',
  bleu4: 'BLEU-4',
  gleu: 'GLEU',
  rouge1: 'ROUGE-1',
  rouge2: 'ROUGE-2',
  rougeL: 'ROUGE-L',
  distinct1: 'Distinct-1',
  distinct2: 'Distinct-2',
}

export interface MetricDefinition {
  term: string
  text: Bilingual
}

export const metricDefinitions: readonly MetricDefinition[] = [
  {
    term: '词元 / Tokens',
    text: {
      'zh-CN': '先去掉所有空白字符（含全角空格），剩下的每个 Unicode 字符（汉字、字母、数字、标点各一个）算一个词元。不做分词。',
      en: 'All whitespace (full-width spaces included) is removed; every remaining Unicode code point — a Chinese character, letter, digit or mark — is one token. No word segmentation.',
    },
  },
  {
    term: 'BLEU-1 … BLEU-4',
    text: {
      'zh-CN':
        '语料级 BLEU：把全部样本合在一起，计算 1 至 n 元的截断精确率，以均等权重（各 1/n）取几何平均，再乘以全语料的简短惩罚；不做平滑。与 NLTK 的 corpus_bleu(refs, hyps, weights=(1/n,)*n) 数值相同。一个问题有多个参考答案时同时使用全部参考。×100。',
      en: "Corpus BLEU: clipped n-gram precisions of orders 1…n over all samples together, geometric mean with uniform weights (1/n each), times the corpus brevity penalty; no smoothing. The same number as NLTK's corpus_bleu(refs, hyps, weights=(1/n,)*n). A question with several references uses all of them. ×100.",
    },
  },
  {
    term: '句子级 BLEU / Sentence BLEU',
    text: {
      'zh-CN': '每条样本单独计算 BLEU（NLTK 平滑方法 method1），再对样本取平均。已发表的表格中没有此项，仅供参考。×100。',
      en: "BLEU computed per sample (NLTK's smoothing method1), averaged over samples. Not in the published table; shown for reference. ×100.",
    },
  },
  {
    term: 'GLEU',
    text: {
      'zh-CN': 'NLTK 的 corpus_gleu（Google-BLEU，1 至 4 元）：全部样本的 n 元匹配数之和，除以每条样本预测与参考 n 元数中较大者之和。×100。',
      en: "NLTK's corpus_gleu (Google-BLEU, n-grams 1 to 4): matching n-grams summed over all samples, divided by the sum over samples of the larger of the prediction's and the reference's n-gram counts. ×100.",
    },
  },
  {
    term: 'ROUGE-1 / ROUGE-2',
    text: {
      'zh-CN': '每条样本：截断后的 n 元重合数；精确率 P = 重合数 ÷ 预测的 n 元数，召回率 R = 重合数 ÷ 参考的 n 元数，F = 2PR/(P+R)（P 或 R 为 0 时 F 为 0）；多个参考时取 F 最高者；对样本取平均。×100。',
      en: 'Per sample: clipped n-gram overlap; precision P = overlap / prediction n-grams, recall R = overlap / reference n-grams, F = 2PR/(P+R) (0 when P or R is 0); with several references the best F; mean over samples. ×100.',
    },
  },
  {
    term: 'ROUGE-L',
    text: {
      'zh-CN': '每条样本：预测与参考的最长公共子序列（LCS）长度；P = LCS ÷ 预测长度，R = LCS ÷ 参考长度，F 同上；对样本取平均。已发表表格中标为 “ROUGE”。×100。',
      en: 'Per sample: length of the longest common subsequence (LCS) of prediction and reference; P = LCS / prediction length, R = LCS / reference length, F as above; mean over samples. Labelled "ROUGE" in the published table. ×100.',
    },
  },
  {
    term: 'Distinct-1 / Distinct-2',
    text: {
      'zh-CN': '把全部预测合在一起：不同的 n 元数 ÷ n 元总数（0 至 1）。只衡量用词是否重复，不涉及参考答案。',
      en: 'Over all predictions together: distinct n-grams / total n-grams (0 to 1). It measures repetition only; references play no part.',
    },
  },
  {
    term: '考试正确率 / Exam accuracy',
    text: {
      'zh-CN': '选择题：答案字母取回答中第一个匹配 “答案[是为：:]…A–E” 或 “answer is X” 的字母，否则取第一个单独出现的大写 A–E；找不到字母按答错计并单独列出。正确数 ÷ 题数 ×100。',
      en: 'Multiple choice: the answer\'s letter is the first match of "答案[是为：:]… A–E" or "answer is X", else the first standalone capital A–E; no letter counts as wrong and is reported. Correct / questions ×100.',
    },
  },
]

/** What the numbers can and cannot say, for a committee deciding on deployment. */
export const metricLimits: readonly Bilingual[] = [
  {
    'zh-CN': '自动指标只衡量模型回答与参考答案（多为网上医生的一条回复）在字面上的重合程度。同一个问题可以有许多正确的说法：措辞不同的正确回答会得低分，措辞相近却有错误（如剂量、禁忌）的回答可能得高分。',
    en: "Automatic metrics measure only how much of the reference answer's wording (mostly one online doctor's reply) the model's answer repeats. A question has many right answers: a correct answer in other words scores low, and an answer worded alike but wrong (a dose, a contraindication) can score high.",
  },
  {
    'zh-CN': '这些分数不衡量医学上是否正确、是否安全、是否识别出需要急诊的情况，也不衡量回答是否让病人听得懂。Distinct 只反映用词是否重复，不反映质量。',
    en: 'The scores do not measure whether an answer is medically right or safe, whether it recognises an emergency, or whether a patient understands it. Distinct shows repetition only, not quality.',
  },
  {
    'zh-CN': '与已发表数字比较时请注意：已发表的是作者在完整测试集上用原始权重得到的结果；本报告评测的是此处的模型文件（可能已量化）、此处的提示格式与采样设置，且可能只答了部分题目。相差几分不足以说明哪个模型更好。',
    en: "When comparing with the published figures: those are the authors' results on the full test set with the original weights; this report measures this model file (possibly quantized) with this prompt format and sampling, and perhaps only part of the test set. A difference of a few points does not show which model is better.",
  },
  {
    'zh-CN': '因此，自动指标只能用来发现明显的问题（如答非所问、大量重复、回答过短或过长、速度太慢），不能代替医生的判断。模型用于临床前，应由医生对抽样回答进行盲评（工作站的医生盲评功能将在下一步提供）。',
    en: "So automatic metrics can reveal plain problems (answers off the question, heavy repetition, answers far too short or long, a model too slow), but they cannot replace doctors' judgement. Before a model is used in the clinic, doctors should review a sample of its answers blind (the workstation's blind review by doctors comes next).",
  },
]
