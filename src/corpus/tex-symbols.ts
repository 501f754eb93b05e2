/** TeX's symbols as Unicode for latex.ts (`$\alpha \leq \mathbb{R}_2$` → `α ≤ ℝ₂`); src/cite/tex.ts inverts them to write BibTeX. */

/** Accent commands → the combining mark each puts on a letter (`\"u` → u + U+0308). */
export const TEX_ACCENTS: Readonly<Record<string, string>> = {
  '`': '\u0300', "'": '\u0301', '^': '\u0302', '~': '\u0303', '=': '\u0304', u: '\u0306', '.': '\u0307', '"': '\u0308',
  r: '\u030a', H: '\u030b', v: '\u030c', d: '\u0323', c: '\u0327', k: '\u0328', b: '\u0331',
};

/** Letter commands → the letter (`\ss` → ß, `\o` → ø); OT1 has them all. */
export const TEX_LETTERS: Readonly<Record<string, string>> = {
  ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
};

/** Math accents (`\hat{x}`) → the combining mark. */
export const MATH_ACCENTS: Readonly<Record<string, string>> = {
  hat: '\u0302', widehat: '\u0302', tilde: '\u0303', widetilde: '\u0303', bar: '\u0304', overline: '\u0305',
  vec: '\u20d7', dot: '\u0307', ddot: '\u0308',
};

/** Text-mode symbol commands (`\ldots`, `\ss`) → their characters; spacing commands → a space. */
export const TEXT_SYMBOLS: Readonly<Record<string, string>> = {
  ldots: '…', dots: '…', textellipsis: '…', LaTeX: 'LaTeX', TeX: 'TeX', textendash: '–', textemdash: '—',
  ...TEX_LETTERS,
  quad: ' ', qquad: ' ', textasciitilde: '~', textbackslash: '/', textbar: '|', textdegree: '°', copyright: '©', textregistered: '®',
  newline: ' ', par: '\n', noindent: '', centering: '', textquoteright: '’', textquoteleft: '‘', textless: '<', textgreater: '>',
};

/** Dashes and quotes typed as ASCII ligatures → the character. */
export const LIGATURES: Readonly<Record<string, string>> = { '---': '—', '--': '–', '``': '“', "''": '”' };

/** Operator names (`\log`, `\argmax`) shown as their word. */
export const MATH_OPERATORS: ReadonlySet<string> = new Set([
  'log', 'ln', 'exp', 'sin', 'cos', 'tan', 'max', 'min', 'sup', 'inf', 'lim', 'arg', 'det', 'dim', 'ker', 'Pr', 'argmax', 'argmin', 'tr', 'rank', 'diag',
]);

/** Relations and arrows (`\leq`, `\to`) → their symbol. */
export const RELATIONS: Readonly<Record<string, string>> = {
  leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', simeq: '≃', equiv: '≡', propto: '∝',
  in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆', supset: '⊃', supseteq: '⊇', to: '→', rightarrow: '→', leftarrow: '←',
  Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔', Leftrightarrow: '⇔', iff: '⇔', implies: '⇒', mapsto: '↦',
  ll: '≪', gg: '≫', perp: '⊥', mid: '|', coloneqq: '≔', triangleq: '≜', models: '⊨',
};

/** Greek letters and other math symbols (`\alpha`, `\nabla`) → their character; math falls back on TEXT_SYMBOLS (`\ldots`). */
export const MATH_SYMBOLS: Readonly<Record<string, string>> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', vartheta: 'ϑ',
  iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ',
  varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  nabla: '∇', partial: '∂', infty: '∞', ell: 'ℓ', hbar: 'ℏ', emptyset: '∅', varnothing: '∅', forall: '∀', exists: '∃',
  neg: '¬', lnot: '¬', land: '∧', wedge: '∧', lor: '∨', vee: '∨', cap: '∩', cup: '∪', setminus: '∖', times: '×', cdot: '·',
  circ: '∘', pm: '±', mp: '∓', div: '÷', ast: '∗', star: '⋆', dagger: '†', top: '⊤', bot: '⊥', prime: '′', cdots: '⋯',
  vdots: '⋮', ddots: '⋱', sum: '∑', prod: '∏', int: '∫', oint: '∮', sqrt: '√', langle: '⟨', rangle: '⟩', lfloor: '⌊',
  rfloor: '⌋', lceil: '⌈', rceil: '⌉', vert: '|', Vert: '‖', lvert: '|', rvert: '|', lVert: '‖', rVert: '‖', lbrace: '{',
  rbrace: '}', backslash: '∖', angle: '∠', degree: '°', aleph: 'ℵ', Re: 'ℜ', Im: 'ℑ', wp: '℘', oplus: '⊕', otimes: '⊗',
  odot: '⊙', dag: '†', S: '§', P: '¶', colon: ':',
};

/** `\mathbb{R}` and friends → the double-struck letter. */
export const BLACKBOARD: Readonly<Record<string, string>> = {
  R: 'ℝ', N: 'ℕ', Z: 'ℤ', Q: 'ℚ', C: 'ℂ', P: 'ℙ', H: 'ℍ', E: '𝔼', '1': '𝟙',
};

/** Characters with a Unicode subscript form. */
export const SUBSCRIPTS: Readonly<Record<string, string>> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ',
  n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ', β: 'ᵦ', γ: 'ᵧ', ρ: 'ᵨ', φ: 'ᵩ', ϕ: 'ᵩ', χ: 'ᵪ',
};

/** Characters with a Unicode superscript form. */
export const SUPERSCRIPTS: Readonly<Record<string, string>> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', f: 'ᶠ', g: 'ᵍ', h: 'ʰ',
  i: 'ⁱ', j: 'ʲ', k: 'ᵏ', l: 'ˡ', m: 'ᵐ', n: 'ⁿ', o: 'ᵒ', p: 'ᵖ', r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ', w: 'ʷ',
  x: 'ˣ', y: 'ʸ', z: 'ᶻ', A: 'ᴬ', B: 'ᴮ', D: 'ᴰ', E: 'ᴱ', G: 'ᴳ', H: 'ᴴ', I: 'ᴵ', J: 'ᴶ', K: 'ᴷ', L: 'ᴸ', M: 'ᴹ',
  N: 'ᴺ', O: 'ᴼ', P: 'ᴾ', R: 'ᴿ', T: 'ᵀ', U: 'ᵁ', V: 'ⱽ', W: 'ᵂ', '⊤': 'ᵀ', '′': '′', '∗': '∗', '*': '∗', '†': '†',
  α: 'ᵅ', β: 'ᵝ', γ: 'ᵞ', δ: 'ᵟ', θ: 'ᶿ', ϕ: 'ᵠ', φ: 'ᵠ', χ: 'ᵡ',
};
