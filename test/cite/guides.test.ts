/**
 * The shipped styles against the style guides' own published examples: the example's data as a paper, through
 * citeproc with the official style, compared with the reference as the guide prints it (italics aside: the text
 * output has none).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatCitation, shippedStyles } from '../../src/cite/index.js';
import { paper } from './papers.js';

// citeproc compiles a big style in seconds: once, before the tests.
beforeAll(() => expect(shippedStyles().warm()).toEqual([]), 120_000);

describe('APA 7', () => {
  it('writes the Publication Manual\'s journal article (Example 1) as the Manual prints it', () => {
    // Publication Manual of the APA, 7th ed. (2020), "Common references at a glance", Example 1.
    const mccauley = paper({
      title: 'Language learning as language use: A crosslinguistic model of child language development',
      authors: ['Stewart M. McCauley', 'Morten H. Christiansen'],
      date: '2019-01-01',
      datePrecision: 'year',
      type: 'journal-article',
      venue: 'Psychological Review',
      volume: '126',
      issue: '1',
      pages: '1-51',
      doi: '10.1037/rev0000126',
    });
    expect(formatCitation(mccauley, 'apa')).toBe(
      'McCauley, S. M., & Christiansen, M. H. (2019). Language learning as language use: A crosslinguistic model of child language development. Psychological Review, 126(1), 1–51. https://doi.org/10.1037/rev0000126',
    );
  });

  it('writes APA Style\'s journal article example with five authors (apastyle.apa.org, journal article references)', () => {
    const grady = paper({
      title: 'Emotions in storybooks: A comparison of storybooks that represent ethnic and racial groups in the United States',
      // The abstract names the country on its own mid-sentence, so sentence case keeps it capitalised.
      abstract: 'We compare storybooks sold in the United States. Emotions are shown differently.',
      authors: ['Jessica Stoltzfus Grady', 'Malena Her', 'Geena Moreno', 'Catherine Perez', 'Jillian Yelinek'],
      date: '2019-01-01',
      datePrecision: 'year',
      type: 'journal-article',
      venue: 'Psychology of Popular Media Culture',
      volume: '8',
      issue: '3',
      pages: '207-217',
      doi: '10.1037/ppm0000185',
    });
    expect(formatCitation(grady, 'apa')).toBe(
      'Grady, J. S., Her, M., Moreno, G., Perez, C., & Yelinek, J. (2019). Emotions in storybooks: A comparison of storybooks that represent ethnic and racial groups in the United States. Psychology of Popular Media Culture, 8(3), 207–217. https://doi.org/10.1037/ppm0000185',
    );
  });
});
