from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.evaluation.judge import PROMPT_FILE, FaithfulnessJudge, make_judge, parse_score
from assistant.evaluation.questions import load_questions

from .fakes import scripted_engine
from .test_eval_runner import FIXTURE

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


@dataclass
class Reply:
    content: str


@dataclass
class FakeChat:
    reply: str = '{"score": 0.8}'
    prompts: list[str] = field(default_factory=list)

    def invoke(self, input: str) -> Reply:
        self.prompts.append(input)
        return Reply(self.reply)


def judge(chat: FakeChat, cache: Path) -> FaithfulnessJudge:
    return FaithfulnessJudge(chat, (PROMPTS / PROMPT_FILE).read_text(encoding="utf-8"), "m", cache)


def test_parse_score() -> None:
    assert parse_score('{"score": 0.75}') == 0.75
    assert parse_score('评分如下：```json\n{"score":1}\n```') == 1.0
    assert parse_score("0.3") == 0.3
    assert parse_score('{"score": 7}') is None
    assert parse_score("无法判断") is None


def test_scores_are_cached_on_disk(tmp_path: Path) -> None:
    questions = load_questions(FIXTURE)
    answer = scripted_engine().script[questions[0].question].answer
    chat = FakeChat()
    cache = tmp_path / "judge.json"
    assert judge(chat, cache)(questions[0], answer) == 0.8
    assert "每万人口发明专利拥有量" in chat.prompts[0] and questions[0].question in chat.prompts[0]
    assert judge(chat, cache)(questions[0], answer) == 0.8  # a new judge reads the cache
    assert len(chat.prompts) == 1


def test_abstained_answers_are_not_judged(tmp_path: Path) -> None:
    questions = load_questions(FIXTURE)
    refusal = scripted_engine().script[questions[3].question].answer
    chat = FakeChat()
    assert judge(chat, tmp_path / "c.json")(questions[3], refusal) is None
    assert chat.prompts == []


def test_judge_is_off_by_default(tmp_path: Path) -> None:
    assert make_judge(Settings(judge_base_url=None, judge_model=None)) is None
    on = Settings(
        judge_base_url="http://127.0.0.1:9/v1", judge_model="m", prompts_dir=PROMPTS, data_dir=tmp_path
    )
    assert isinstance(make_judge(on), FaithfulnessJudge)


def test_unreachable_judge_leaves_item_unjudged(tmp_path: Path) -> None:
    class Broken(FakeChat):
        def invoke(self, input: str) -> Reply:
            raise ConnectionError("refused")

    questions = load_questions(FIXTURE)
    answer = scripted_engine().script[questions[0].question].answer
    broken = Broken()
    assert judge(broken, tmp_path / "c.json")(questions[0], answer) is None
    assert not (tmp_path / "c.json").exists()  # failures are not cached


def test_runner_reports_mean_judge_score(tmp_path: Path) -> None:
    from assistant.evaluation.runner import run_eval

    engine = scripted_engine()
    report = run_eval(
        engine, load_questions(FIXTURE), judge=judge(FakeChat('{"score": 0.5}'), tmp_path / "c.json")
    )
    assert report.judge_faithfulness == 0.5
    assert "judge_faithfulness" not in report.overall
